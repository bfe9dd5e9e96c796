/** Real socket.io clients for protocol tests: `const s = await connectAs(server, userId)`. */
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { Ack, JoinResult, RoomDelta } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import { signToken } from "../../server/auth.js";
import type { SpotterServer } from "../../server/createServer.js";

export interface TestSocket {
  socket: Socket;
  /** Every raw text frame this client received (for privacy assertions). */
  frames: string[];
  deltas: RoomDelta[];
  join(room: string, since?: number): Promise<Ack<JoinResult>>;
  command(room: string, type: string, payload: unknown, commandId?: string): Promise<Ack<unknown>>;
  close(): void;
}

export async function connectAs(server: SpotterServer, userId: string, ttlSeconds = 3600, issuedAtSeconds?: number): Promise<TestSocket> {
  const token = await signToken(server.jwtSecret!, userId, ttlSeconds, undefined, issuedAtSeconds);
  const socket = io(server.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  const frames: string[] = [];
  const deltas: RoomDelta[] = [];
  socket.io.on("open", () => {
    socket.io.engine.on("message", (data: unknown) => {
      if (typeof data === "string") frames.push(data);
    });
  });
  socket.on("room:delta", (d: RoomDelta) => deltas.push(d));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (e) => reject(e));
  });
  return {
    socket,
    frames,
    deltas,
    join: (room, since) => socket.timeout(20_000).emitWithAck("room:join", since === undefined ? { room } : { room, since }),
    command: (room, type, payload, commandId = randomUUID()) =>
      socket.timeout(30_000).emitWithAck("command", { commandId, room, type, payload }),
    close: () => socket.close(),
  };
}

/**
 * The sockets one suite opens, closed together in its `afterAll`:
 * `const sockets = suiteSockets(() => t.server); const s = await sockets.connect(userId); … sockets.closeAll();`
 */
export function suiteSockets(server: () => SpotterServer) {
  const open: TestSocket[] = [];
  return {
    async connect(userId: string): Promise<TestSocket> {
      const s = await connectAs(server(), userId);
      open.push(s);
      return s;
    },
    closeAll(): void {
      for (const s of open.splice(0)) s.close();
    },
  };
}

/** Waits until `check` passes (polling), failing with its last error after `ms`. */
export async function eventually(check: () => void | Promise<void>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/**
 * Joins `room` and keeps a live copy of its view by its deltas, as a client keeps it:
 * `const view = await watchRoom<UserView>(s, \`user:${id}\`); … expect(view().unread).toBe(1)`.
 */
export async function watchRoom<V>(s: TestSocket, room: string): Promise<() => V> {
  const joined = await s.join(room);
  if (!joined.ok || !("snapshot" in joined.result)) throw new Error(`joining ${room}: ${JSON.stringify(joined)}`);
  let view = joined.result.snapshot as V;
  s.socket.on("room:delta", (d: RoomDelta) => {
    if (d.room === room) view = applyPatch(view, d.ops);
  });
  return () => view;
}
