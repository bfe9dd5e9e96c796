/**
 * A raw Socket.IO client over one WebSocket (Engine.IO 4), for tests that must see frames and close codes as they
 * are on the wire, and pause the client's TCP socket (a client that stops reading).
 */
import { once } from "node:events";
import type { Server, Socket } from "socket.io";
import WebSocket from "ws";

export interface RawSocketIo {
  ws: WebSocket;
  /** The server's side of it. */
  server: Socket;
  /** The close code and reason the client read. */
  closed: Promise<{ code: number; reason: string }>;
  /** Stops reading (the kernel's buffers fill, then the server's). */
  pause(): void;
  resume(): void;
}

/**
 * Connects to `io` on `port`, answering the handshake and pings; every other text frame after the connect
 * (`40…`) goes to `onFrame`. Resolves once connected to the main namespace.
 */
export async function rawSocketIo(io: Server, port: number, onFrame: (text: string) => void): Promise<RawSocketIo> {
  const connected = once(io, "connection") as Promise<[Socket]>;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  let joined!: () => void;
  const ready = new Promise<void>((resolve) => (joined = resolve));
  ws.on("message", (m) => {
    const text = (m as Buffer).toString();
    if (text.startsWith("0")) ws.send("40");
    else if (text.startsWith("40")) joined();
    else if (text === "2") ws.send("3");
    else onFrame(text);
  });
  await ready;
  const [server] = await connected;
  const tcp = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return {
    ws,
    server,
    closed,
    pause: () => tcp.pause(),
    resume: () => {
      ws.resume();
      tcp.resume();
    },
  };
}
