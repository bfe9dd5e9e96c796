/** socket.io-client connections as the load generators open them: websocket only, no reconnection. */
import { io, type Socket } from "socket.io-client";
import { signToken } from "../../../server/auth.js";

export type { Socket };

/** Connects as `userId` (a fresh HS256 token); retries a refused handshake twice. */
export async function connect(url: string, secret: string, userId: string): Promise<Socket> {
  const token = await signToken(secret, userId, 4 * 3600);
  for (let attempt = 0; ; attempt++) {
    const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 30_000 });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      return socket;
    } catch (err) {
      socket.close();
      if (attempt >= 2) throw err;
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
}

/** Connects every user, at most `concurrency` handshakes at a time; the result is in input order. */
export async function connectMany(url: string, secret: string, userIds: string[], concurrency = 50): Promise<Socket[]> {
  const out: Socket[] = new Array(userIds.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < userIds.length; i = next++) out[i] = await connect(url, secret, userIds[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, lane));
  return out;
}

export interface AckBody {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/** Emits with an ack; a timeout answers `{ ok: false, error: { code: "TIMEOUT" } }`. */
export function ask(socket: Socket, event: string, payload: unknown, timeoutMs = 60_000): Promise<AckBody> {
  return socket
    .timeout(timeoutMs)
    .emitWithAck(event, payload)
    .then(
      (a: AckBody) => a,
      () => ({ ok: false, error: { code: "TIMEOUT", message: `no ack within ${timeoutMs} ms` } }),
    );
}

/** A command envelope as the protocol expects it. */
export function command(commandId: string, room: string, type: string, payload: unknown) {
  return { commandId, room, type, payload };
}

/** Closes sockets and counts those that had dropped before. */
export function closeAll(sockets: Socket[]): number {
  let dropped = 0;
  for (const s of sockets) {
    if (!s.connected) dropped += 1;
    s.close();
  }
  return dropped;
}
