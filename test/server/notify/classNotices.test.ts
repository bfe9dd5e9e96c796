/**
 * The class notices of issue 20 a member gets without doing anything (offer mode and the waitlist's edge cases), each
 * an inbox row of the class commit that caused it and a live delta in the member's `user:` room, on real PostgreSQL
 * with the test's clock: an offer that runs out (passed to the next in line), a spot that opens after the
 * auto-promotion cut-off, and a waiting member skipped because their membership is frozen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { UserView } from "../../../domain/views/userView.js";
import { dueSessions } from "../../../server/persistence/dueSessions.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets, watchRoom } from "../../support/sockets.js";

const pg = await requirePostgres();
const MINUTE = 60_000;

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};

describe("class notices: offers that run out, spots after the cut-off, skipped members", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  let clock = Date.now();
  const sockets = suiteSockets(() => t.server);
  const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> =>
    (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];
  const noticesIn = (sessionId: string, userId: string) =>
    sql<{ id: string; kind: string; text: string; expires_at: Date | null }>(
      `select id, kind, text, expires_at from notice where session_id = ? and user_id = ? order by at, kind`,
      [sessionId, userId],
    );
  /** The node's janitor pass (every minute in production), run now with the test's clock. */
  const janitor = async () => {
    for (const id of await dueSessions(t.server.db.orm, clock))
      await t.server.router.send(`class:${id}` as RoomId, { kind: "note", note: { type: "tick" } });
  };

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer(
      { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "c".repeat(40), COMMANDS_PER_SECOND: "1000" },
      { now: () => clock },
    );
    gym = await aGym(t.server.db.orm, { capacity: 1, members: 8, startsInMinutes: 24 * 60 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("stores and shows the offer, then its expiry when the claim time runs out, and offers the spot to the next in line", async () => {
    const [a, b, c] = gym.members;
    const s = await gym.addSession({
      startsAt: clock + 24 * 60 * MINUTE,
      endsAt: clock + 25 * 60 * MINUTE,
      capacity: 1,
      promotionMode: "offer",
      offerClaimMinutes: 15,
    });
    const room = `class:${s.id}`;
    const [sa, sb, sc] = await Promise.all([a, b, c].map((m) => sockets.connect(m!.id)));
    ok(await sa.command(room, "class:book", { sessionId: s.id }));
    ok(await sb.command(room, "class:book", { sessionId: s.id, waitlist: true }));
    ok(await sc.command(room, "class:book", { sessionId: s.id, waitlist: true }));
    const [onB, onC] = await Promise.all([watchRoom<UserView>(sb, `user:${b!.id}`), watchRoom<UserView>(sc, `user:${c!.id}`)]);
    const offeredAt = clock;
    ok(await sa.command(room, "class:cancelBooking", { sessionId: s.id }));

    const [offer] = await noticesIn(s.id, b!.id);
    expect(offer).toMatchObject({ kind: "offered", text: expect.stringMatching(/^A spot opened in .* Strength — claim it by /) });
    expect(new Date(offer!.expires_at!).getTime()).toBe(offeredAt + 15 * MINUTE);
    await eventually(() => expect(onB().notices[offer!.id]).toMatchObject({ kind: "offered", sessionId: s.id, readAt: null }));

    // A minute before the claim time ends nothing is due; once it has passed, the janitor's tick expires the offer.
    clock = offeredAt + 14 * MINUTE;
    expect(await dueSessions(t.server.db.orm, clock)).not.toContain(s.id);
    clock = offeredAt + 15 * MINUTE + 1_000;
    await janitor();

    const afterB = await noticesIn(s.id, b!.id);
    expect(afterB.map((n) => n.kind)).toEqual(["offered", "offer_expired"]);
    expect(afterB[1]!.text).toMatch(/^Your held spot in .* Strength expired$/);
    const [next] = await noticesIn(s.id, c!.id);
    expect(next).toMatchObject({ kind: "offered" });
    expect(new Date(next!.expires_at!).getTime()).toBe(clock + 15 * MINUTE);
    expect(await sql(`select status, reason from waitlist_entry where session_id = ? and member_id = ?`, [s.id, b!.id])).toEqual([
      { status: "expired", reason: "OFFER_EXPIRED" },
    ]);
    await eventually(() => {
      expect(onB().notices[afterB[1]!.id]).toMatchObject({ kind: "offer_expired", sessionId: s.id, text: afterB[1]!.text });
      expect(onC().notices[next!.id]).toMatchObject({ kind: "offered", sessionId: s.id });
    });
  });

  it("skips a waiting member whose membership was frozen, tells them why in words, and promotes the next in line", async () => {
    const [, , , , , , g, h] = gym.members;
    const a = gym.members[0]!;
    const s = await gym.addSession({ startsAt: clock + 48 * 60 * MINUTE, endsAt: clock + 49 * 60 * MINUTE, capacity: 1 });
    const room = `class:${s.id}`;
    const [sa, sg, sh, owner] = await Promise.all([a, g!, h!, { id: gym.ownerId }].map((m) => sockets.connect(m.id)));
    ok(await sa.command(room, "class:book", { sessionId: s.id }));
    ok(await sg.command(room, "class:book", { sessionId: s.id, waitlist: true }));
    ok(await sh.command(room, "class:book", { sessionId: s.id, waitlist: true }));
    const onG = await watchRoom<UserView>(sg, `user:${g!.id}`);
    ok(await owner.command(`gym:${gym.gymId}`, "gym:freezeMember", { memberId: g!.id, until: "2099-01-01", reason: "Travelling" }));
    ok(await sa.command(room, "class:cancelBooking", { sessionId: s.id }));

    const [skipped] = await noticesIn(s.id, g!.id);
    expect(skipped).toMatchObject({ kind: "skipped" });
    // Words a member understands, never an error code.
    expect(skipped!.text).toMatch(/^We couldn't give you the spot in .* Strength: Membership frozen — ask the front desk\.$/);
    expect(await noticesIn(s.id, h!.id)).toMatchObject([{ kind: "promoted" }]);
    expect(await sql(`select status, reason from waitlist_entry where session_id = ? and member_id = ?`, [s.id, g!.id])).toEqual([
      { status: "skipped", reason: "MEMBERSHIP_INACTIVE" },
    ]);
    await eventually(() => expect(onG().notices[skipped!.id]).toMatchObject({ kind: "skipped", sessionId: s.id, text: skipped!.text }));
  });

  it("tells everyone waiting that a spot is open once the class is past its auto-promotion cut-off", async () => {
    const [, , , d, e, f] = gym.members;
    const s = await gym.addSession({
      startsAt: clock + 3 * 60 * MINUTE,
      endsAt: clock + 4 * 60 * MINUTE,
      capacity: 1,
      autoPromoteCutoffMinutes: 60,
      lateCancelMinutes: 0,
    });
    const room = `class:${s.id}`;
    const [sd, se, sf] = await Promise.all([d, e, f].map((m) => sockets.connect(m!.id)));
    ok(await sd.command(room, "class:book", { sessionId: s.id }));
    ok(await se.command(room, "class:book", { sessionId: s.id, waitlist: true }));
    ok(await sf.command(room, "class:book", { sessionId: s.id, waitlist: true }));
    const onF = await watchRoom<UserView>(sf, `user:${f!.id}`);
    // 30 minutes before the class (last: sockets signed in earlier would be past their tokens' hour after this jump),
    // spots are not given away any more, only announced.
    clock = s.startsAt - 30 * MINUTE;
    ok(await sd.command(room, "class:cancelBooking", { sessionId: s.id }));

    for (const m of [e!, f!])
      expect(await noticesIn(s.id, m.id)).toEqual([
        {
          id: expect.any(String),
          kind: "spot_open",
          text: expect.stringMatching(/^A spot is open in .* Strength — book it now if you can make it$/),
          expires_at: null,
        },
      ]);
    expect(await sql(`select status from waitlist_entry where session_id = ? order by position`, [s.id])).toEqual([
      { status: "waiting" },
      { status: "waiting" },
    ]);
    const [told] = await noticesIn(s.id, f!.id);
    await eventually(() => expect(onF().notices[told!.id]).toMatchObject({ kind: "spot_open", sessionId: s.id, readAt: null }));
  });
});
