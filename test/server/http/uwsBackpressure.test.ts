/**
 * A client that stops reading, on uWS (`server/http/uwsBackpressure.ts`). Before: uWS dropped every message past
 * its 64 KiB backlog for that socket (`send` answered 2, unread) and kept the connection open — Engine.IO's write
 * buffer, which the slow-consumer check watched, stays empty on uWS — so a stalled client silently lost acks and
 * deltas. Now the backlog is capped and a socket that falls behind is closed, never skipped; a healthy one is untouched.
 * The clients are raw WebSockets in this process whose TCP socket is paused (the kernel's buffers fill, then uWS's).
 */
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../server/logger.js";
import { installSocketIoFastPath } from "../../../server/http/socketIoFastPath.js";
import { listenUws, loadNativeUws } from "../../../server/http/uwsTransport.js";
import type { Listening } from "../../../server/http/listening.js";
import {
  MAX_SOCKET_BACKLOG_BYTES,
  SLOW_CONSUMER_BYTES,
  SLOW_CONSUMER_CLOSE_CODE,
  SLOW_CONSUMER_EVENT,
  SLOW_CONSUMER_REASON,
  sweepBacklog,
  uwsBacklog,
} from "../../../server/http/uwsBackpressure.js";
import { rawSocketIo, type RawSocketIo } from "../../support/rawSocketIo.js";

const PAYLOAD = "x".repeat(1000);
/** One message on the wire (the Socket.IO frame around the payload), with room to spare. */
const MESSAGE_BYTES = 1100;
const BATCH = 100;
/** Enough to fill the kernel's buffers of a paused socket and then the cap several times over. */
const MAX_MESSAGES = 20_000;

type Raw = RawSocketIo & { numbers: number[]; slow: number };

describe("a slow consumer on uWS", () => {
  let io: Server;
  let listening: Listening;
  const raws: Raw[] = [];

  beforeAll(async () => {
    installSocketIoFastPath();
    const uws = await loadNativeUws();
    if (!uws) throw new Error("the native uWebSockets.js binary does not load here");
    io = new Server({ serveClient: false });
    const router = { handle: () => Promise.resolve({ status: 404 }) };
    listening = await listenUws(uws, io, router, "127.0.0.1", 0, createLogger("silent", "test"));
  });
  afterAll(async () => {
    for (const r of raws) r.ws.terminate();
    io?.close();
    await listening?.close();
  });

  /** A raw Socket.IO client over one WebSocket, joined to room "r"; `numbers` are the event arguments it read. */
  async function raw(): Promise<Raw> {
    const numbers: number[] = [];
    const client = await rawSocketIo(io, listening.port, (text) => {
      if (text.startsWith("42")) numbers.push((JSON.parse(text.slice(2)) as [string, number])[1]);
    });
    await client.server.join("r");
    const r = { ...client, numbers, slow: 0 };
    const { server } = r;
    server.conn.on(SLOW_CONSUMER_EVENT, () => r.slow++);
    raws.push(r);
    return r;
  }

  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  /** Sends in batches (the healthy client reads between them) until the stalled socket is gone; the most uWS held for it. */
  async function flood(stalled: Raw, send: (n: number) => void): Promise<{ sent: number; maxBacklog: number }> {
    let sent = 0;
    let maxBacklog = 0;
    while (stalled.server.connected && sent < MAX_MESSAGES) {
      for (let i = 0; i < BATCH; i++) send(sent++);
      maxBacklog = Math.max(maxBacklog, uwsBacklog(stalled.server.conn as never));
      await tick();
    }
    return { sent, maxBacklog };
  }

  async function allRead(healthy: Raw, sent: number): Promise<void> {
    while (healthy.numbers.length < sent) await tick();
  }

  /** What the stalled client reads once it reads again: messages in order with no gap, then the close. */
  async function resume(stalled: Raw): Promise<{ code: number; reason: string }> {
    stalled.resume();
    const closed = await stalled.closed;
    expect(stalled.numbers).toEqual(stalled.numbers.map((_, i) => i));
    return closed;
  }

  it("closes a stalled socket's connection with the reason on direct emits (acks, deltas to one socket); a healthy one gets everything", async () => {
    const stalled = await raw();
    const healthy = await raw();
    stalled.pause();
    const reasons: string[] = [];
    stalled.server.on("disconnect", (reason) => reasons.push(reason));

    const { sent, maxBacklog } = await flood(stalled, (n) => {
      stalled.server.emit("d", n, PAYLOAD);
      healthy.server.emit("d", n, PAYLOAD);
    });

    expect(stalled.server.connected).toBe(false);
    expect(reasons).toEqual(["transport close"]);
    expect([stalled.slow, healthy.slow]).toEqual([1, 0]);
    expect(maxBacklog).toBeGreaterThan(0);
    expect(maxBacklog).toBeLessThanOrEqual(MAX_SOCKET_BACKLOG_BYTES + MESSAGE_BYTES);
    expect(healthy.server.connected).toBe(true);
    await allRead(healthy, sent);
    expect(healthy.numbers).toEqual(Array.from({ length: sent }, (_, i) => i));

    const closed = await resume(stalled);
    expect(closed).toEqual({ code: SLOW_CONSUMER_CLOSE_CODE, reason: SLOW_CONSUMER_REASON });
    expect(stalled.numbers.length).toBeLessThan(sent);
  });

  it("closes a stalled socket's connection with the reason on Engine.IO's own writes (the stock path)", async () => {
    const stalled = await raw();
    // A `packetCreate` listener keeps every message to this socket on Engine.IO's queue and transport.
    stalled.server.conn.on("packetCreate", () => undefined);
    stalled.pause();
    const { sent, maxBacklog } = await flood(stalled, (n) => stalled.server.emit("d", n, PAYLOAD));
    expect(stalled.server.connected).toBe(false);
    expect(stalled.slow).toBe(1);
    expect(maxBacklog).toBeLessThanOrEqual(MAX_SOCKET_BACKLOG_BYTES + MESSAGE_BYTES);
    expect(await resume(stalled)).toEqual({ code: SLOW_CONSUMER_CLOSE_CODE, reason: SLOW_CONSUMER_REASON });
    expect(stalled.numbers.length).toBeLessThan(sent);
  });

  // Before: uWS dropped the publish that found the socket past the cap and closed it itself — 1006 with no reason, and
  // no JavaScript saw it (not counted). Now a look every PUBLISH_LOOK_BYTES published closes it first, with the reason.
  it("closes a stalled socket before a room broadcast (one uWS topic publish) is dropped for it, with the reason, counted; a healthy one gets everything", async () => {
    const stalled = await raw();
    const healthy = await raw();
    stalled.pause();

    const { sent, maxBacklog } = await flood(stalled, (n) => io.to("r").emit("d", n, PAYLOAD));

    expect(stalled.server.connected).toBe(false);
    expect([stalled.slow, healthy.slow]).toEqual([1, 0]);
    // Closed near the cap, never past it (where uWS drops the publish, and then the close frame too).
    expect(maxBacklog).toBeGreaterThan(SLOW_CONSUMER_BYTES);
    expect(maxBacklog).toBeLessThanOrEqual(MAX_SOCKET_BACKLOG_BYTES);
    expect(healthy.server.connected).toBe(true);
    await allRead(healthy, sent);
    expect(healthy.numbers).toEqual(Array.from({ length: sent }, (_, i) => i));

    // The connection ends instead of carrying on with a hole: every message it was sent before the close, then the reason.
    expect(await resume(stalled)).toEqual({ code: SLOW_CONSUMER_CLOSE_CODE, reason: SLOW_CONSUMER_REASON });
    expect(stalled.numbers.length).toBeLessThan(sent);
  });

  it("closes a socket past the slow-consumer mark that did not drain between two sweeps, with the reason; one that drains stays", async () => {
    const stalled = await raw();
    stalled.pause();
    const conn = stalled.server.conn as never;
    let sent = 0;
    // Room broadcasts only (no direct send sees the backlog); stop between the mark and the cap.
    while (uwsBacklog(conn) <= SLOW_CONSUMER_BYTES && sent < MAX_MESSAGES) {
      for (let i = 0; i < BATCH; i++) io.to("r").emit("d", sent++, PAYLOAD);
      await tick();
    }
    const backlog = uwsBacklog(conn);
    expect(backlog).toBeGreaterThan(SLOW_CONSUMER_BYTES);
    expect(backlog).toBeLessThanOrEqual(MAX_SOCKET_BACKLOG_BYTES);

    const seen: { backlog?: number } = {};
    sweepBacklog(conn, seen); // first look past the mark: remembered, not closed
    expect([stalled.server.connected, seen.backlog]).toEqual([true, backlog]);
    seen.backlog = backlog + 1; // as if it held more a second ago: it reads, slowly
    sweepBacklog(conn, seen);
    expect([stalled.server.connected, seen.backlog, stalled.slow]).toEqual([true, backlog, 0]);
    sweepBacklog(conn, seen); // no byte read since: a slow consumer
    expect([stalled.server.connected, seen.backlog, stalled.slow]).toEqual([false, undefined, 1]);
    expect(await resume(stalled)).toEqual({ code: SLOW_CONSUMER_CLOSE_CODE, reason: SLOW_CONSUMER_REASON });

    const healthy = await raw();
    const untouched: { backlog?: number } = {};
    sweepBacklog(healthy.server.conn as never, untouched);
    expect([healthy.server.connected, "backlog" in untouched, healthy.slow]).toEqual([true, false, 0]);
  });
});
