/**
 * Issue 22, daily KPI snapshots stored by a job, not by the first report that asks: each pass stores every gym's
 * yesterday in the gym's own time zone, once (idempotent, a stored day never recomputed), a node that was down
 * catches the missed days up when it runs again (two years back at most), and two nodes racing store each day once.
 * The tests move the clock.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttendanceEventEntity } from "../../../server/db/entities/index.js";
import { KpiDayJob } from "../../../server/jobs/kpiDayJob.js";
import { createLogger } from "../../../server/logger.js";
import { KpiBackfillDays } from "../../../server/persistence/kpiSnapshots.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, startTestServer, suiteDatabase, type SuiteDatabase, type TestServer } from "../../support/services.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("the daily KPI snapshot job", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let berlin: GymFixture;
  let auckland: GymFixture;
  // 11:30 UTC: 12:30 on 15 January in Berlin, already 00:30 on 16 January in Auckland.
  let clock = Date.UTC(2027, 0, 15, 11, 30);
  const log = createLogger("silent", "kpi-test");
  const job = () => new KpiDayJob(t.server.db.orm, () => clock, log);
  const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> =>
    (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];
  const days = (gymId: string) =>
    sql<{ day: string; visits: number; active: number | null }>(
      `select day, visits, active_members as active from gym_kpi_day where gym_id = ? order by day`,
      [gymId],
    );
  const visit = (gymId: string, memberId: string, at: number) =>
    t.server.db.orm.em.fork().insert(AttendanceEventEntity, { id: randomUUID(), gymId, memberId, sessionId: null, at });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "j".repeat(40) }, { now: () => clock });
    berlin = await aGym(t.server.db.orm, { members: 2 });
    auckland = await aGym(t.server.db.orm, { members: 1 });
    await sql(`update gym set time_zone = 'Pacific/Auckland' where id = ?`, [auckland.gymId]);
    // 10:00 on 14 January in Berlin.
    await visit(berlin.gymId, berlin.members[0]!.id, Date.UTC(2027, 0, 14, 9));
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it(`stores every gym's days through its own yesterday, ${KpiBackfillDays} days back at most, with yesterday's active members`, async () => {
    const pass = await job().runOnce();
    expect(pass).toMatchObject({ gyms: 2, days: 2 * KpiBackfillDays, busy: 0 });
    const b = await days(berlin.gymId);
    expect(b).toHaveLength(KpiBackfillDays);
    expect(b.at(-1)).toEqual({ day: "2027-01-14", visits: 1, active: 2 });
    expect(b.at(-2)).toMatchObject({ day: "2027-01-13", visits: 0, active: null });
    expect((await days(auckland.gymId)).at(-1)).toEqual({ day: "2027-01-15", visits: 0, active: 1 });
  });

  it("is idempotent: a second pass stores nothing and a stored day is never recomputed", async () => {
    await visit(berlin.gymId, berlin.members[1]!.id, Date.UTC(2027, 0, 14, 10));
    expect(await job().runOnce()).toEqual({ gyms: 0, days: 0, busy: 0 });
    expect((await days(berlin.gymId)).at(-1)).toEqual({ day: "2027-01-14", visits: 1, active: 2 });
  });

  it("catches up the days a stopped node missed when it runs again", async () => {
    clock += 3 * DAY;
    await visit(berlin.gymId, berlin.members[0]!.id, Date.UTC(2027, 0, 16, 18));
    const pass = await job().runOnce();
    expect(pass).toEqual({ gyms: 2, days: 6, busy: 0 });
    expect((await days(berlin.gymId)).slice(-4)).toEqual([
      { day: "2027-01-14", visits: 1, active: 2 },
      { day: "2027-01-15", visits: 0, active: null },
      { day: "2027-01-16", visits: 1, active: null },
      { day: "2027-01-17", visits: 0, active: 2 },
    ]);
    expect((await days(auckland.gymId)).at(-1)).toMatchObject({ day: "2027-01-18" });
  });

  it("stores each day once when two nodes run their passes at the same time", async () => {
    clock += DAY + 2 * HOUR;
    const [a, b] = await Promise.all([job().runOnce(), job().runOnce()]);
    expect(a.days + b.days).toBe(2);
    expect((await days(berlin.gymId)).filter((d) => d.day === "2027-01-18")).toHaveLength(1);
    expect((await days(auckland.gymId)).filter((d) => d.day === "2027-01-19")).toHaveLength(1);
    expect(await job().runOnce()).toEqual({ gyms: 0, days: 0, busy: 0 });
  });
});
