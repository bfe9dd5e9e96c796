/**
 * Issue 22, reports from snapshots: a completed class is counted once into `class_stat` and read from there (a later
 * change to its rows does not move the report), a class not completed yet is counted live; the daily KPI snapshots
 * store each ended day once (two years back on the first report), today is live, and the table downloads as CSV.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OwnerReport } from "../../../domain/reports/ownerReport.js";
import { addDays, localDate } from "../../../domain/schedule/timeZone.js";
import { AttendanceEventEntity, BookingEntity, ClassStatEntity, GymKpiDayEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const DAY = 86_400_000;
const ZONE = "Europe/Berlin";

describe.skipIf(!pg.ok)("the owner's reports from stored snapshots (PostgreSQL)", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const now = Date.now();
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let completedId = "";
  let openId = "";
  const em = () => t.server.db.orm.em.fork();
  const report = async (days = 30) =>
    (await owner.command(`gym:${gym.gymId}`, "gym:ownerReport", { days })) as { ok: true; result: OwnerReport };
  const book = (sessionId: string, memberId: string, status: "checked_in" | "no_show" | "booked") =>
    em().insert(BookingEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId,
      memberId,
      status,
      createdAt: now - 5 * DAY,
      updatedAt: now - 5 * DAY,
      creditUsed: false,
      promotedFromWaitlist: false,
    });

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "k".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 4, capacity: 4 });
    completedId = (await gym.addSession({ startsAt: now - 3 * DAY, endsAt: now - 3 * DAY + 3_600_000, capacity: 4, status: "completed" }))
      .id;
    openId = (await gym.addSession({ startsAt: now - 2 * DAY, endsAt: now - 2 * DAY + 3_600_000, capacity: 4 })).id;
    const m = gym.members.map((x) => x.id);
    await book(completedId, m[0]!, "checked_in");
    await book(completedId, m[1]!, "no_show");
    await book(openId, m[2]!, "checked_in");
    await em().insert(AttendanceEventEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: m[0]!,
      sessionId: completedId,
      at: now - 3 * DAY,
    });
    owner = await sockets.connect(gym.ownerId);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("stores a completed class's figures once and reads them from there; a class not completed yet counts live", async () => {
    const first = (await report()).result;
    expect(first.totals).toMatchObject({ sessions: 2, capacity: 8, taken: 3, checkedIn: 2, noShows: 1 });
    expect(await em().findOne(ClassStatEntity, { sessionId: completedId })).toMatchObject({ taken: 2, here: 1, noShows: 1 });
    expect(await em().count(ClassStatEntity, { sessionId: openId })).toBe(0);
    // A row changed under a completed class (not something the rooms allow) does not move the stored figures…
    await book(completedId, gym.members[3]!.id, "checked_in");
    // …while the open class's new booking counts at once.
    await book(openId, gym.members[3]!.id, "checked_in");
    const second = (await report()).result;
    expect(second.totals).toMatchObject({ sessions: 2, taken: 4, checkedIn: 3, noShows: 1 });
    expect(await em().count(ClassStatEntity, { gymId: gym.gymId })).toBe(1);
  });

  it("stores each ended day's KPIs once (two years back), keeps them as stored, and counts today live", async () => {
    const today = localDate(now, ZONE);
    const r = (await report(30)).result;
    expect(r.kpi.at(-1)).toMatchObject({ day: today });
    expect(r.kpi[0]!.day).toBe(localDate(now - 30 * DAY, ZONE));
    const stored = await em().find(GymKpiDayEntity, { gymId: gym.gymId }, { orderBy: { day: "asc" } });
    expect(stored).toHaveLength(730);
    expect(stored.at(-1)).toMatchObject({ day: addDays(today, -1), activeMembers: 4 });
    expect(stored.filter((d) => d.activeMembers !== null)).toHaveLength(1);
    const threeDaysAgo = localDate(now - 3 * DAY, ZONE);
    // Stored by the first test's report, before the late booking under the completed class: 2 bookings, not 3.
    expect(r.kpi.find((d) => d.day === threeDaysAgo)).toMatchObject({ visits: 1, bookings: 2, noShows: 1 });
    // A visit recorded late for a stored day leaves the stored day as it was; one today shows at once.
    await em().insert(AttendanceEventEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: gym.members[1]!.id,
      sessionId: null,
      at: now - 3 * DAY,
    });
    await em().insert(AttendanceEventEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: gym.members[1]!.id,
      sessionId: null,
      at: now - 1_000,
    });
    const again = (await report(30)).result;
    expect(again.kpi.find((d) => d.day === threeDaysAgo)!.visits).toBe(1);
    expect(again.kpi.at(-1)!.visits).toBe(r.kpi.at(-1)!.visits + 1);
    expect(await em().count(GymKpiDayEntity, { gymId: gym.gymId })).toBe(730);
  });

  it("downloads the daily KPIs as CSV", async () => {
    const csv = (await owner.command(`gym:${gym.gymId}`, "gym:ownerReportCsv", { days: 7, table: "kpis" })) as {
      ok: true;
      result: { csv: string; rows: number };
    };
    expect(csv.result.csv.split("\r\n")[0]).toBe(
      "day,visits,bookings,no_shows,late_cancels,joined,leads,sales_cents,fees_cents,active_members",
    );
    expect(csv.result.rows).toBe(8);
  });
});
