/**
 * Sockets per user (tight, shared through Redis across nodes), sockets per address (loose, per node) and rooms per
 * user across all their sockets: one account can no longer open sockets and rooms until the node runs out of memory.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { requireRedis, startTestServer, type TestServer } from "../../support/services.js";
import { connectAs, eventually, type TestSocket } from "../../support/sockets.js";

/** The handshake's refusal, as a client sees it. */
async function refusedConnect(t: TestServer, userId: string): Promise<{ message: string; data?: { code?: string } }> {
  try {
    const s = await connectAs(t.server, userId);
    s.close();
  } catch (err) {
    return err as { message: string; data?: { code?: string } };
  }
  throw new Error("expected the connection to be refused");
}

describe("connection and room limits (one node)", () => {
  let t: TestServer;
  let gym: GymFixture;
  const open: TestSocket[] = [];
  const connect = async (userId: string) => {
    const s = await connectAs(t.server, userId);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestServer({ MAX_SOCKETS_PER_USER: "3", MAX_SOCKETS_PER_IP: "8", MAX_ROOMS_PER_USER: "2" });
    gym = await aGym(t.server.db.orm, { members: 4 });
  }, 60_000);
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.cleanup();
  });

  it("regression: one user could open sockets without end; the one past MAX_SOCKETS_PER_USER is refused in words, and a closed one frees its place", async () => {
    const m = gym.members[0]!.id;
    const three = [await connect(m), await connect(m), await connect(m)];
    const refused = await refusedConnect(t, m);
    expect(refused.data?.code).toBe("LIMIT_EXCEEDED");
    expect(refused.message).toMatch(/too many devices or tabs \(at most 3\)/);
    three[0]!.close();
    // The server hears the close a moment later.
    await eventually(async () => void (await connect(m)));
  });

  it("refuses sockets past MAX_SOCKETS_PER_IP from one address, whoever they are", async () => {
    const users = Array.from({ length: 8 }, () => randomUUID());
    const answers = await Promise.allSettled(users.map((u) => connect(u)));
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    // 3 sockets of the test above are still open: 5 of these 8 fit.
    expect(answers.length - refused.length).toBe(5);
    for (const r of refused)
      expect(r.reason).toMatchObject({ data: { code: "LIMIT_EXCEEDED" }, message: expect.stringMatching(/from your network/) });
    for (const s of open.splice(0)) s.close();
  });

  it("regression: rooms were capped per socket only; a user's rooms across their sockets stop at MAX_ROOMS_PER_USER until one is left", async () => {
    const m = gym.members[1]!.id;
    // The sockets closed above free their places a moment later.
    const sockets: TestSocket[] = [];
    await eventually(async () => void sockets.push(await connect(m)));
    await eventually(async () => void sockets.push(await connect(m)));
    const [a, b] = sockets as [TestSocket, TestSocket];
    expect(await a.join(`user:${m}`)).toMatchObject({ ok: true });
    expect(await b.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });
    // Joining a room again is no new room.
    expect(await b.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });
    expect(await b.join(`class:${gym.sessionId}`)).toMatchObject({
      ok: false,
      error: { code: "LIMIT_EXCEEDED", message: expect.stringContaining("2 rooms") },
    });
    expect(await a.join(`class:${gym.sessionId}`)).toMatchObject({ ok: false, error: { code: "LIMIT_EXCEEDED" } });
    expect(await a.socket.emitWithAck("room:leave", { room: `user:${m}` })).toMatchObject({ ok: true });
    expect(await b.join(`class:${gym.sessionId}`)).toMatchObject({ ok: true });
    // A closed socket gives its rooms back.
    b.close();
    await eventually(async () => expect(await a.join(`user:${m}`)).toMatchObject({ ok: true }));
    expect(await a.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });
  });
});

const redis = await requireRedis();

describe.skipIf(!redis.ok)("sockets per user across nodes (Redis)", () => {
  const nodes: TestServer[] = [];
  const open: TestSocket[] = [];
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all(nodes.map((n) => n.cleanup()));
  });

  it("counts a user's sockets on every node together, and drops a stopped node's count", async () => {
    const env = { REDIS_URL: redis.url!, JWT_SECRET: "s".repeat(40), MAX_SOCKETS_PER_USER: "2" };
    nodes.push(
      await startTestServer({ ...env, NODE_ID: "conn-a" }),
      await startTestServer({ ...env, NODE_ID: "conn-b" }),
      await startTestServer({ ...env, NODE_ID: "conn-c" }),
    );
    const [a, b, c] = nodes as [TestServer, TestServer, TestServer];
    const user = randomUUID();
    open.push(await connectAs(a.server, user), await connectAs(b.server, user));
    expect((await refusedConnect(c, user)).data?.code).toBe("LIMIT_EXCEEDED");
    expect((await refusedConnect(a, user)).data?.code).toBe("LIMIT_EXCEEDED");
    await b.cleanup();
    open.push(await connectAs(c.server, user));
  });
});
