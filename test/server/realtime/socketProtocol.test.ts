/**
 * Per-socket protocol state over a real server on both transports: token expiry, the per-socket
 * command budget, the cap on watched rooms, and watcher counts that follow joins, leaves and disconnects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs, eventually, type TestSocket } from "../../support/sockets.js";

const COMMANDS_PER_SECOND = 5;

describe.each(["uws", "node"] as const)("the socket protocol on TRANSPORT=%s", (transport) => {
  let t: TestServer;
  let gym: GymFixture;
  const open: TestSocket[] = [];
  const connect = async (userId: string, ttlSeconds?: number) => {
    const s = await connectAs(t.server, userId, ttlSeconds);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestServer({ TRANSPORT: transport, COMMANDS_PER_SECOND: String(COMMANDS_PER_SECOND), MAX_ROOMS_PER_SOCKET: "2" });
    gym = await aGym(t.server.db.orm, { members: 4 });
  }, 60_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await t?.cleanup();
  });

  it("tells a socket its session expired, then disconnects it, when its token runs out", async () => {
    // 5 s: long enough for the handshake on a loaded 2-core machine (2 s expired before connect once at load 10).
    const s = await connect(gym.members[0]!.id, 5);
    const told = new Promise<{ message: string }>((resolve) => s.socket.once("auth:expired", resolve));
    const gone = new Promise<string>((resolve) => s.socket.once("disconnect", resolve));
    expect(await told).toEqual({ message: "Your session expired — sign in again." });
    expect(await gone).toBe("io server disconnect");
  }, 20_000);

  it("refuses a room beyond MAX_ROOMS_PER_SOCKET, while a watched room can be joined again and a left one frees its place", async () => {
    const member = gym.members[1]!.id;
    const s = await connect(member);
    expect(await s.join(`class:${gym.sessionId}`)).toMatchObject({ ok: true });
    expect(await s.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });
    expect(await s.join(`user:${member}`)).toMatchObject({
      ok: false,
      error: { code: "RATE_LIMITED", message: "You can watch at most 2 rooms at once." },
    });
    expect(await s.join(`class:${gym.sessionId}`)).toMatchObject({ ok: true });
    expect(await s.socket.timeout(5_000).emitWithAck("room:leave", { room: `gym:${gym.gymId}` })).toEqual({ ok: true, result: null });
    expect(await s.join(`user:${member}`)).toMatchObject({ ok: true });
  });

  it("refuses a socket's commands beyond its burst, saying how long to wait", async () => {
    const s = await connect(gym.members[2]!.id);
    const acks = (await Promise.all(Array.from({ length: 30 }, () => s.socket.timeout(5_000).emitWithAck("command", {})))) as Ack<never>[];
    const limited = acks.filter((a) => !a.ok && a.error.code === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((a) => !a.ok && (a.error.retryAfterMs ?? 0) > 0)).toBe(true);
    // What got through was judged on its content: a command needs an envelope.
    expect(acks.filter((a) => !a.ok && a.error.code !== "RATE_LIMITED").every((a) => !a.ok && a.error.code === "VALIDATION_FAILED")).toBe(
      true,
    );
  });

  it("counts a room's watchers once per socket and forgets a socket's rooms when it disconnects", async () => {
    const room = `class:${gym.sessionId}` as const;
    const watchers = () => t.server.registry.peek(room)?.watchers ?? 0;
    const before = watchers();
    const s = await connect(gym.members[3]!.id);
    await s.join(room);
    await s.join(room);
    expect(watchers()).toBe(before + 1);
    s.close();
    await eventually(() => expect(watchers()).toBe(before));
  });
});
