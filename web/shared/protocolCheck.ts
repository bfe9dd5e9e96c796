import type { Socket } from "socket.io-client";
import { PROTOCOL_VERSION, protocolFit, type ProtocolFit, type ServerHello } from "../../domain/protocol/version.js";

/** Socket.IO packet types this check reads (socket.io-parser). */
const CONNECT = 0;
const EVENT = 2;
const ACK = 3;

let fit: ProtocolFit = "current";
const listeners = new Set<(fit: ProtocolFit) => void>();

/** How this page's app stands with the server it talks to (the worst seen since the page loaded). */
export function protocolStanding(): ProtocolFit {
  return fit;
}

/** Calls `listener` on every change of {@link protocolStanding}; returns the unsubscribe. */
export function onProtocolStanding(listener: (fit: ProtocolFit) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function stand(next: ProtocolFit): void {
  // A page never goes back to "current" without a reload: the app on screen is what it is.
  if (next === "current" || fit === "unreadable" || next === fit) return;
  fit = next;
  for (const fn of [...listeners]) fn(fit);
}

/**
 * Compares the server's `server:hello` with the version this app was built for ({@link PROTOCOL_VERSION}, also sent in
 * the handshake as `auth.protocol`). The hello is the first frame of every connection, so the check reads the
 * manager's packets: an event or an answer before any hello means a server from before versions. When the server
 * cannot be read correctly the socket is closed — the app works as offline (the desk decides on the device and
 * queues in IndexedDB) and reads nothing it would misread — and the banner asks for a reload. Returns the unsubscribe.
 */
export function watchProtocol(socket: Socket): () => void {
  let heard = true;
  const onPacket = (packet: { type: number; nsp?: string; data?: unknown }) => {
    if (packet.nsp !== undefined && packet.nsp !== "/") return; // the apps use the main namespace only
    if (packet.type === CONNECT) heard = false;
    if (heard || (packet.type !== EVENT && packet.type !== ACK)) return;
    heard = true;
    const [event, hello] = Array.isArray(packet.data) ? (packet.data as [unknown, ServerHello | undefined]) : [];
    const standing = protocolFit(PROTOCOL_VERSION, event === "server:hello" && hello ? hello : null);
    stand(standing);
    if (standing === "unreadable") queueMicrotask(() => socket.disconnect());
  };
  socket.io.on("packet", onPacket);
  return () => void socket.io.off("packet", onPacket);
}
