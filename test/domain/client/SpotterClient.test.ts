import { io, type Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { SpotterClient, type RoomState, type SocketLike } from "../../../domain/client/index.js";
import type { Ack, JoinResult, RoomDelta } from "../../../domain/protocol/envelope.js";
import { FakeSocket } from "./fakeSocket.js";

const ROOM = "class:11111111-1111-4111-8111-111111111111";
const OTHER = "gym:00000000-0000-4000-8000-000000000001";

interface View {
  count: number;
  names: Record<string, string>;
}

const snapshot = (seq: number, view: View, room = ROOM): Ack<JoinResult<View>> => ({
  ok: true,
  result: { room, audience: "staff", seq, snapshot: view },
});
const deltas = (seq: number, list: RoomDelta[], room = ROOM): Ack<JoinResult<View>> => ({
  ok: true,
  result: { room, audience: "staff", seq, deltas: list },
});
const countTo = (seq: number, count: number, room = ROOM): RoomDelta => ({
  room,
  seq,
  ops: [{ op: "set", path: ["count"], value: count }],
});

function setup(options: ConstructorParameters<typeof SpotterClient>[1] = {}) {
  const socket = new FakeSocket();
  let n = 0;
  const client = new SpotterClient(socket, { newId: () => `cmd-${++n}-0000`, ...options });
  return { socket, client };
}

function watchRoom(client: SpotterClient, room = ROOM) {
  const states: RoomState<View>[] = [];
  const stop = client.watch<View>(room, (s) => states.push(s));
  return { states, stop, latest: () => states[states.length - 1]! };
}

describe("SpotterClient.watch", () => {
  it("joins without since, then applies a snapshot and each delta in order", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    expect(socket.last("room:join").payload).toEqual({ room: ROOM });
    expect(w.latest().status).toBe("joining");
    socket.last("room:join").ack!(snapshot(4, { count: 1, names: {} }));
    socket.serverEmit("room:delta", countTo(5, 2));
    socket.serverEmit("room:delta", { room: ROOM, seq: 6, ops: [{ op: "set", path: ["names", "a"], value: "Ana" }] });
    expect(w.latest()).toMatchObject({ status: "live", seq: 6, view: { count: 2, names: { a: "Ana" } }, audience: "staff" });
  });

  it("ignores a delta it has already applied", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    socket.last("room:join").ack!(snapshot(4, { count: 1, names: {} }));
    socket.serverEmit("room:delta", countTo(4, 99));
    expect(w.latest().view?.count).toBe(1);
  });

  it("rejoins with since = the last applied seq when a delta skips a number, then catches up", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    socket.last("room:join").ack!(snapshot(4, { count: 1, names: {} }));
    socket.serverEmit("room:delta", countTo(6, 3));
    expect(socket.emitted("room:join")).toHaveLength(2);
    expect(socket.last("room:join").payload).toEqual({ room: ROOM, since: 4 });
    socket.serverEmit("room:delta", countTo(7, 4)); // arrives while the rejoin is in flight: held
    socket.last("room:join").ack!(deltas(6, [countTo(5, 2), countTo(6, 3)]));
    expect(w.latest()).toMatchObject({ status: "live", seq: 7, view: { count: 4 } });
  });

  it("holds deltas that arrive before the join answer and applies the newer ones after it", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    socket.serverEmit("room:delta", countTo(5, 2));
    socket.serverEmit("room:delta", countTo(6, 3));
    socket.last("room:join").ack!(snapshot(5, { count: 2, names: {} }));
    expect(w.latest()).toMatchObject({ status: "live", seq: 6, view: { count: 3 } });
  });

  it("keeps the view marked stale while offline and rejoins every watched room with since after a reconnect", () => {
    const { socket, client } = setup();
    const a = watchRoom(client, ROOM);
    const b = watchRoom(client, OTHER);
    socket.emitted("room:join")[0]!.ack!(snapshot(9, { count: 1, names: {} }, ROOM));
    socket.emitted("room:join")[1]!.ack!(snapshot(2, { count: 7, names: {} }, OTHER));
    socket.drop();
    expect(a.latest()).toMatchObject({ status: "stale", view: { count: 1 } });
    expect(client.connection.status).toBe("reconnecting");
    socket.reconnect();
    const rejoins = socket
      .emitted("room:join")
      .slice(2)
      .map((s) => s.payload);
    expect(rejoins).toEqual([
      { room: ROOM, since: 9 },
      { room: OTHER, since: 2 },
    ]);
    socket.emitted("room:join")[2]!.ack!(deltas(10, [countTo(10, 5)]));
    socket.emitted("room:join")[3]!.ack!(deltas(2, [], OTHER));
    expect(a.latest()).toMatchObject({ status: "live", seq: 10, view: { count: 5 } });
    expect(b.latest()).toMatchObject({ status: "live", seq: 2, view: { count: 7 } });
  });

  it("rejoins for snapshots after the server closed the connection (a restarted room counts from 0 again)", () => {
    const { socket, client } = setup();
    watchRoom(client);
    socket.last("room:join").ack!(snapshot(9, { count: 1, names: {} }));
    socket.drop("io server disconnect");
    socket.reconnect();
    expect(socket.last("room:join").payload).toEqual({ room: ROOM });
  });

  it("rejoins for snapshots after being offline longer than the resume window", () => {
    vi.useFakeTimers();
    try {
      const { socket, client } = setup({ resumeWindowMs: 30_000 });
      watchRoom(client);
      socket.last("room:join").ack!(snapshot(9, { count: 1, names: {} }));
      socket.drop();
      vi.advanceTimersByTime(30_000);
      socket.reconnect();
      expect(socket.last("room:join").payload).toEqual({ room: ROOM });
      socket.last("room:join").ack!(snapshot(2, { count: 3, names: {} }));
      socket.drop();
      vi.advanceTimersByTime(29_000);
      socket.reconnect();
      expect(socket.last("room:join").payload).toEqual({ room: ROOM, since: 2 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("asks for a fresh snapshot after room:reset", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    socket.last("room:join").ack!(snapshot(9, { count: 1, names: {} }));
    socket.serverEmit("room:reset", { room: ROOM, reason: "room_restarted" });
    expect(socket.last("room:join").payload).toEqual({ room: ROOM });
    socket.last("room:join").ack!(snapshot(1, { count: 8, names: {} }));
    expect(w.latest()).toMatchObject({ status: "live", seq: 1, view: { count: 8 } });
  });

  it("falls back to a snapshot when the server's missed deltas do not line up", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    socket.last("room:join").ack!(snapshot(4, { count: 1, names: {} }));
    socket.serverEmit("room:delta", countTo(6, 3));
    socket.last("room:join").ack!(deltas(8, [countTo(7, 4), countTo(8, 5)]));
    expect(socket.last("room:join").payload).toEqual({ room: ROOM });
    socket.last("room:join").ack!(snapshot(8, { count: 5, names: {} }));
    expect(w.latest()).toMatchObject({ status: "live", seq: 8 });
  });

  it("shows a refused join as an error in words", () => {
    const { socket, client } = setup();
    const w = watchRoom(client);
    socket.last("room:join").ack!({ ok: false, error: { code: "FORBIDDEN", message: "Only gym staff can do that." } });
    expect(w.latest()).toMatchObject({ status: "error", error: { code: "FORBIDDEN" } });
  });

  it("shares one join between watchers and leaves when the last one stops", () => {
    const { socket, client } = setup();
    const a = watchRoom(client);
    const b = watchRoom(client);
    expect(socket.emitted("room:join")).toHaveLength(1);
    a.stop();
    expect(socket.emitted("room:leave")).toHaveLength(0);
    b.stop();
    expect(socket.last("room:leave").payload).toEqual({ room: ROOM });
  });
});

describe("SpotterClient.command", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fails fast while offline and sends nothing", async () => {
    const { socket, client } = setup();
    socket.connected = false;
    const ack = await client.command(ROOM, "class:book", { sessionId: "s" });
    expect(ack).toEqual({ ok: false, error: { code: "UNAVAILABLE", message: "You're offline — reconnecting…" } });
    expect(socket.emitted("command")).toHaveLength(0);
  });

  it("resends with the same commandId after a timeout and returns the answer", async () => {
    const { socket, client } = setup({ ackTimeoutMs: 1_000 });
    const answer = client.command(ROOM, "class:book", { sessionId: "s" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.emitted("command")).toHaveLength(2);
    const [first, second] = socket.emitted("command");
    expect(second!.payload.commandId).toBe(first!.payload.commandId);
    expect(second!.payload).toEqual({ commandId: "cmd-1-0000", room: ROOM, type: "class:book", payload: { sessionId: "s" } });
    second!.ack!({ ok: true, result: { bookingId: "b" } });
    await expect(answer).resolves.toEqual({ ok: true, result: { bookingId: "b" } });
  });

  it("after a drop mid-command, waits for the reconnect and resends with the same commandId", async () => {
    const { socket, client } = setup({ ackTimeoutMs: 5_000 });
    const answer = client.command(ROOM, "class:checkIn", { sessionId: "s", source: "desk" });
    socket.drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.emitted("command")).toHaveLength(1);
    socket.reconnect();
    await vi.advanceTimersByTimeAsync(0);
    const sends = socket.emitted("command");
    expect(sends).toHaveLength(2);
    expect(sends[1]!.payload.commandId).toBe(sends[0]!.payload.commandId);
    sends[1]!.ack!({ ok: true, result: null });
    await expect(answer).resolves.toEqual({ ok: true, result: null });
  });

  it("gives up with words when the connection does not come back in time", async () => {
    const { socket, client } = setup({ reconnectGraceMs: 2_000 });
    const answer = client.command(ROOM, "class:book", { sessionId: "s" });
    socket.drop();
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
  });

  it("stops after maxAttempts sends without an answer", async () => {
    const { socket, client } = setup({ ackTimeoutMs: 1_000, maxAttempts: 3 });
    const answer = client.command(ROOM, "class:book", { sessionId: "s" });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(socket.emitted("command")).toHaveLength(3);
    expect(new Set(socket.emitted("command").map((s) => s.payload.commandId)).size).toBe(1);
    await expect(answer).resolves.toMatchObject({
      ok: false,
      error: { code: "UNAVAILABLE", message: expect.stringContaining("No answer") },
    });
  });

  it("retries a retryable UNAVAILABLE after retryAfterMs with the same commandId", async () => {
    const { socket, client } = setup();
    const answer = client.command(ROOM, "class:book", { sessionId: "s" });
    socket.last("command").ack!({ ok: false, error: { code: "UNAVAILABLE", message: "moving", retryAfterMs: 200 } });
    await vi.advanceTimersByTimeAsync(200);
    expect(socket.emitted("command")).toHaveLength(2);
    socket.last("command").ack!({ ok: true, result: 1 });
    await expect(answer).resolves.toEqual({ ok: true, result: 1 });
  });

  it("returns a refusal as is, without retrying", async () => {
    const { socket, client } = setup();
    const answer = client.command(ROOM, "class:book", { sessionId: "s" });
    socket.last("command").ack!({ ok: false, error: { code: "CLASS_FULL", message: "This class is full" } });
    await expect(answer).resolves.toEqual({ ok: false, error: { code: "CLASS_FULL", message: "This class is full" } });
    expect(socket.emitted("command")).toHaveLength(1);
  });
});

describe("SpotterClient connection state", () => {
  it("reports connected, reconnecting, and denied with the server's words", () => {
    const { socket, client } = setup();
    const seen: string[] = [];
    client.onConnection((c) => seen.push(c.error ? `${c.status}: ${c.error.message}` : c.status));
    socket.drop();
    socket.reconnect();
    socket.connected = false;
    socket.active = false;
    socket.serverEmit("connect_error", { message: "Your session expired — sign in again." });
    expect(seen).toEqual(["connected", "reconnecting", "connected", "denied: Your session expired — sign in again."]);
  });

  it("reconnects by itself after the server closed the connection", () => {
    vi.useFakeTimers();
    try {
      const socket = new FakeSocket();
      const connect = vi.fn();
      Object.assign(socket, { connect });
      new SpotterClient(socket);
      socket.drop("io server disconnect");
      vi.advanceTimersByTime(1_000);
      expect(connect).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers a command in flight when closed, without resending it", async () => {
    const { socket, client } = setup();
    const answer = client.command(ROOM, "class:book", { sessionId: "s" });
    client.close();
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    expect(socket.emitted("command")).toHaveLength(1);
  });

  it("removes its listeners on close", () => {
    const socket = new FakeSocket();
    new SpotterClient(socket).close();
    expect(socket.listenerCount()).toBe(0);
  });

  it("types payloads of known commands from their zod schemas", () => {
    const { client } = setup();
    // @ts-expect-error -- class:book needs a sessionId
    void client.command(ROOM, "class:book", { waitlist: true });
    // @ts-expect-error -- class:setCapacity takes a number
    void client.command(ROOM, "class:setCapacity", { sessionId: "s", capacity: "12" });
    void client.command(ROOM, "some:future", { anything: 1 });
    client.close();
    expect(true).toBe(true);
  });

  it("accepts a real socket.io-client socket", () => {
    expectTypeOf<Socket>().toExtend<SocketLike>();
    const socket = io("http://127.0.0.1:9", { autoConnect: false });
    const client = new SpotterClient(socket);
    expect(client.connection.status).toBe("connecting");
    client.close();
  });
});
