/**
 * A client that stops reading, on node:http (`TRANSPORT=node`). Before: the once-a-second sweep disconnected such a
 * socket with `socket.disconnect(true)` — a Socket.IO DISCONNECT packet queued behind everything the client had not
 * read (the server side waited for a drain that never came), which the client takes for a server restart ("io server
 * disconnect": no resume with `since`, a reconnect a second later). Now it is closed as on uWS: WebSocket close code
 * 4008 `slow consumer` behind what it had not read, the server side at once, counted through SLOW_CONSUMER_EVENT.
 */
import { Server } from "socket.io";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../server/logger.js";
import { listenNode } from "../../../server/http/nodeTransport.js";
import type { Listening } from "../../../server/http/listening.js";
import {
  SLOW_CONSUMER_CLOSE_CODE,
  SLOW_CONSUMER_EVENT,
  SLOW_CONSUMER_PACKETS,
  SLOW_CONSUMER_REASON,
  sweepSlowConsumer,
  type Conn,
} from "../../../server/http/uwsBackpressure.js";
import { rawSocketIo } from "../../support/rawSocketIo.js";

const PAYLOAD = "x".repeat(1000);
const BATCH = 100;
/** Enough to fill the kernel's buffers of a paused socket, then Engine.IO's write buffer past the mark. */
const MAX_MESSAGES = 60_000;

describe("a slow consumer on node:http", () => {
  let io: Server;
  let listening: Listening;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    io = new Server({ serveClient: false });
    const router = { handle: () => Promise.resolve({ status: 404 }) };
    listening = await listenNode(io, router, "127.0.0.1", 0, createLogger("silent", "test"));
  });
  afterAll(async () => {
    for (const ws of open) ws.terminate();
    io?.close();
    await listening?.close();
  });

  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("closes a stalled WebSocket with 4008 `slow consumer` after what it had not read, never with a Socket.IO disconnect; counted once", async () => {
    const frames: string[] = [];
    const client = await rawSocketIo(io, listening.port, (text) => frames.push(text.slice(0, 2)));
    open.push(client.ws);
    const { server, closed } = client;
    let slow = 0;
    server.conn.on(SLOW_CONSUMER_EVENT, () => slow++);
    const reasons: string[] = [];
    server.on("disconnect", (reason) => reasons.push(reason));
    client.pause();

    const conn = server.conn as unknown as Conn;
    let sent = 0;
    while ((conn.writeBuffer?.length ?? 0) <= SLOW_CONSUMER_PACKETS && sent < MAX_MESSAGES) {
      for (let i = 0; i < BATCH; i++) server.emit("d", sent++, PAYLOAD);
      await tick();
    }
    expect(conn.writeBuffer!.length).toBeGreaterThan(SLOW_CONSUMER_PACKETS);

    sweepSlowConsumer(conn, server.data as { backlog?: number });
    expect(server.connected).toBe(false);
    expect(reasons).toHaveLength(1);
    expect(slow).toBe(1);
    sweepSlowConsumer(conn, server.data as { backlog?: number }); // already closed: not again
    expect(slow).toBe(1);

    client.resume();
    expect(await closed).toEqual({ code: SLOW_CONSUMER_CLOSE_CODE, reason: SLOW_CONSUMER_REASON });
    // Messages, then the close frame: no Socket.IO DISCONNECT ("41", "io server disconnect") on the way.
    expect(frames.filter((f) => f !== "42")).toEqual([]);
    expect(frames.length).toBeLessThan(sent);
  }, 30_000);
});
