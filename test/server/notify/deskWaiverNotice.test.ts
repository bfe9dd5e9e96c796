/**
 * Issue 20, "for staff: a waiver nobody signed", at the desk: a check-in the gym room refuses (or lets in on an
 * override) for an unsigned waiver tells the gym's owners and admins — not the member, not the desk that scanned
 * them — in the commit that records the refusal, once per member and gym-local day however often they retry.
 * Regression: the gym room's commit had no notice path, so a desk refusal told nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPatch } from "../../../domain/protocol/patch.js";
import type { UserView } from "../../../domain/views/userView.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { connectAs, suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const DAY = 86_400_000;

describe("desk refusals for an unsigned waiver tell staff", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  let clock = Date.now();
  let owner: TestSocket;
  let desk: TestSocket;
  const sockets = suiteSockets(() => t.server);
  const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> =>
    (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];
  const told = (userId: string) =>
    sql<{ text: string; at: number }>(
      `select text, (extract(epoch from at) * 1000)::float8 as at from notice where user_id = ? and kind = 'waiver_unsigned' order by at`,
      [userId],
    );
  const room = () => `gym:${gym.gymId}`;
  const scan = (memberId: string, extra: object = {}) => desk.command(room(), "gym:checkIn", { memberId, openGym: true, ...extra });

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer(
      { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "k".repeat(40), COMMANDS_PER_SECOND: "1000" },
      { now: () => clock },
    );
    gym = await aGym(t.server.db.orm, { members: 4 });
    [owner, desk] = await Promise.all([sockets.connect(gym.ownerId), sockets.connect(gym.deskId)]);
    expect(
      await owner.command(room(), "gym:publishWaiver", {
        title: "Liability waiver",
        version: "2027-01",
        text: "I know lifting is heavy. ".repeat(4),
      }),
    ).toMatchObject({ ok: true });
    expect(await owner.command(room(), "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({ ok: true });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    desk?.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("tells the owner live, once per member and day, in the commit of the first refusal; retries and racing scans add nothing", async () => {
    const m = gym.members[0]!;
    const joined = (await owner.join(`user:${gym.ownerId}`)) as { ok: true; result: { snapshot: UserView } };
    let view = joined.result.snapshot;
    owner.socket.on("room:delta", (d: { room: string; ops: never[] }) => {
      if (d.room === `user:${gym.ownerId}`) view = applyPatch(view, d.ops);
    });
    const unreadBefore = view.unread;
    expect(await scan(m.id)).toMatchObject({ ok: true, result: { status: "denied", reason: "WAIVER_NOT_SIGNED" } });
    await Promise.all([scan(m.id), scan(m.id), scan(m.id)]);
    expect(await scan(m.id)).toMatchObject({ ok: true, result: { status: "denied", reason: "WAIVER_NOT_SIGNED" } });
    const notices = await told(gym.ownerId);
    expect(notices).toEqual([
      {
        text: `${m.name} came to the desk without a signed waiver and was turned away — ask them to sign it in the app.`,
        at: expect.any(Number),
      },
    ]);
    // Written with the first refusal: the notice carries that check-in's time.
    const [first] = await sql<{ at: number }>(
      `select (extract(epoch from at) * 1000)::float8 as at from check_in where member_id = ? order by at limit 1`,
      [m.id],
    );
    expect(notices[0]!.at).toBe(first!.at);
    expect(await sql(`select count(*)::int as n from check_in where member_id = ? and reason = 'WAIVER_NOT_SIGNED'`, [m.id])).toEqual([
      { n: 5 },
    ]);
    // Not the desk that scanned them, not the coach (no class), not the member.
    expect(await told(gym.deskId)).toEqual([]);
    expect(await told(gym.coachId)).toEqual([]);
    expect(await told(m.id)).toEqual([]);
    await expect.poll(() => view.unread).toBe(unreadBefore + 1);
    expect(Object.values(view.notices).filter((n) => n.kind === "waiver_unsigned")).toHaveLength(1);
  });

  it("tells the coach of the class the member came for, too", async () => {
    const m = gym.members[3]!;
    // Made through the gym room, so its schedule knows the class the desk looks the booking up in.
    const created = (await owner.command(room(), "schedule:createSession", {
      classTypeId: gym.session.classTypeId,
      locationId: gym.session.locationId,
      coachId: gym.coachId,
      capacity: 8,
      durationMinutes: 60,
      startsAt: clock + 20 * 60_000,
    })) as { ok: true; result: { sessionIds: string[] } };
    const session = { id: created.result.sessionIds[0]! };
    const member = await sockets.connect(m.id);
    expect(await member.command(`class:${session.id}`, "class:book", { sessionId: session.id })).toMatchObject({ ok: true });
    expect(await desk.command(room(), "gym:checkIn", { memberId: m.id })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "WAIVER_NOT_SIGNED" },
    });
    const text = `${m.name} came to the desk for Strength without a signed waiver and was turned away — ask them to sign it in the app.`;
    expect((await told(gym.coachId)).map((n) => n.text)).toEqual([text]);
    expect((await told(gym.ownerId)).at(-1)).toMatchObject({ text });
    expect(await sql(`select session_id from notice where kind = 'waiver_unsigned' and user_id = ?`, [gym.coachId])).toEqual([
      { session_id: session.id },
    ]);
  });

  it("tells again for another member, for an override, and on the next day", async () => {
    const [a, b] = [gym.members[1]!, gym.members[2]!];
    expect(await scan(a.id)).toMatchObject({ ok: true, result: { status: "denied" } });
    expect(await told(gym.ownerId)).toHaveLength(3);
    // An override the same day is the same member and day: nothing new.
    expect(await scan(a.id, { override: { reason: "Signed the paper form" } })).toMatchObject({
      ok: true,
      result: { status: "checked_in", overridden: "WAIVER_NOT_SIGNED" },
    });
    expect(await told(gym.ownerId)).toHaveLength(3);
    // Let in on an override first: staff still hear the waiver is missing.
    expect(await scan(b.id, { override: { reason: "Signed the paper form" } })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    // The test's clock stands still, so notices of one day tie on `at`: look for it, not at the last row.
    expect(await told(gym.ownerId)).toContainEqual(
      expect.objectContaining({
        text: `${b.name} came to the desk without a signed waiver and was let in on an override — ask them to sign it in the app.`,
      }),
    );
    expect(await told(gym.ownerId)).toHaveLength(4);
    // A day later every token signed before is past its expiry on the server's clock, and the once-a-second sweep
    // disconnects those sockets (it did, mid-scan, on a slow CI run): the desk signs in again on the new day.
    clock += DAY;
    desk.close();
    desk = await connectAs(t.server, gym.deskId, 3600, Math.floor(clock / 1000));
    expect(await scan(a.id)).toMatchObject({ ok: true, result: { status: "denied", reason: "WAIVER_NOT_SIGNED" } });
    expect(await told(gym.ownerId)).toHaveLength(5);
    expect(await sql(`select count(*)::int as n from waiver_alert where gym_id = ?`, [gym.gymId])).toEqual([{ n: 5 }]);
  });
});
