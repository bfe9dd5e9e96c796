/**
 * Class-pack credits over the real protocol on PostgreSQL: consumed on booking, refunded on a timely
 * cancel, and untouched by a commit that fails. Regression: the credit update ran on another pooled
 * connection, outside the commit's transaction, so a failed commit still spent the credit.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GymMembershipEntity, MembershipPlanEntity } from "../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";

const pg = await postgresOrPglite();

describe("class-pack credits", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const credits = async (memberId: string) =>
    (await t.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: memberId })).credits;

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "c".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 2, capacity: 10 });
    const em = t.server.db.orm.em.fork();
    const planId = randomUUID();
    em.create(MembershipPlanEntity, {
      id: planId,
      gymId: gym.gymId,
      name: "5-pack",
      entitlement: { kind: "pack", credits: 5, validDays: 90 },
      weeklyTarget: 2,
      priceCents: 5000,
    });
    await em.flush();
    await em.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: { $in: gym.members.map((m) => m.id) } }, { planId, credits: 5 });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it("spends a credit on booking and gives it back on a timely cancel", async () => {
    const m = gym.members[0]!;
    const s = await connectAs(t.server, m.id);
    expect(await s.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: true });
    expect(await credits(m.id)).toBe(4);
    expect(await s.command(`class:${gym.sessionId}`, "class:cancelBooking", { sessionId: gym.sessionId })).toMatchObject({
      ok: true,
      result: { creditRefunded: true },
    });
    expect(await credits(m.id)).toBe(5);
    s.close();
  });

  it("keeps the credit when the commit of the booking fails", async () => {
    const m = gym.members[1]!;
    const session = await gym.addSession();
    const conn = t.server.db.orm.em.getConnection();
    await conn.execute(
      `create or replace function spotter_test_refuse_credits() returns trigger as $$ begin raise exception 'injected failure'; end $$ language plpgsql`,
    );
    await conn.execute(
      `create trigger spotter_test_refuse_credits before insert on booking for each row when (new.session_id = '${session.id}') execute function spotter_test_refuse_credits()`,
    );
    const s = await connectAs(t.server, m.id);
    const failed = await s.command(`class:${session.id}`, "class:book", { sessionId: session.id });
    expect(failed).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    expect(await credits(m.id)).toBe(5);
    await conn.execute(`drop trigger spotter_test_refuse_credits on booking`);
    expect(await s.command(`class:${session.id}`, "class:book", { sessionId: session.id })).toMatchObject({ ok: true });
    expect(await credits(m.id)).toBe(4);
    s.close();
  });
});
