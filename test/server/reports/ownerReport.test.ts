/**
 * Issue 22, the owner's reports: attendance, fill rate, waitlist demand, no-show and late-cancel rates by class type,
 * hour and coach, from the stored bookings; members at risk with the reason; trial conversion; CSV of each table.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OwnerReport } from "../../../domain/reports/ownerReport.js";
import type { BookingStatus } from "../../../domain/model.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  GymMembershipEntity,
  LeadEntity,
  LeadTouchEntity,
  WaitlistEntryEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;

describe("the owner's reports", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const now = Date.now();
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  const em = () => t.server.db.orm.em.fork();
  const result = <T>(ack: unknown) => (ack as { ok: true; result: T }).result;

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "r".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 6, capacity: 4 });
    const e = em();
    await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId }, { joinedAt: now - 90 * DAY });
    // Two past classes of capacity 4: one full (3 checked in, 1 no-show) with 2 on the waitlist; one with a single late cancel.
    const full = await gym.addSession({ startsAt: now - 3 * DAY, endsAt: now - 3 * DAY + 3_600_000, capacity: 4 });
    const quiet = await gym.addSession({ startsAt: now - 2 * DAY, endsAt: now - 2 * DAY + 3_600_000, capacity: 4 });
    const book = (sessionId: string, memberId: string, status: BookingStatus) =>
      e.insert(BookingEntity, {
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
    const m = gym.members.map((x) => x.id);
    for (const [i, status] of (["checked_in", "checked_in", "checked_in", "no_show"] as const).entries())
      await book(full.id, m[i]!, status);
    await book(quiet.id, m[4]!, "late_cancelled");
    for (const [i, id] of [m[4]!, m[5]!].entries()) {
      await e.insert(WaitlistEntryEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        sessionId: full.id,
        memberId: id,
        position: i + 1,
        status: "expired",
        createdAt: now - 4 * DAY,
        updatedAt: now - 4 * DAY,
        offerExpiresAt: null,
        reason: null,
      });
    }
    // Visits: members 0–2 came 3 days ago; member 3 came 8 times in the 14 days before the last 14 and never since.
    for (const i of [0, 1, 2])
      await e.insert(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: m[i]!, sessionId: full.id, at: now - 3 * DAY });
    for (let k = 0; k < 8; k++)
      await e.insert(AttendanceEventEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        memberId: m[3]!,
        sessionId: null,
        at: now - (15 + k) * DAY,
      });
    // Two trial leads, one converted; and a walk-in who joined without a trial (not a trial conversion).
    for (const [stage, tried] of [
      ["member", true],
      ["trial", true],
      ["member", false],
    ] as const) {
      const id = randomUUID();
      await e.insert(LeadEntity, {
        id,
        gymId: gym.gymId,
        name: `Lead ${stage}`,
        email: null,
        phone: null,
        source: "website",
        interest: "",
        ownerId: null,
        stage,
        lostReason: "",
        followUpOn: null,
        memberId: null,
        createdAt: now - 10 * DAY,
        updatedAt: now - DAY,
      });
      if (tried)
        await e.insert(LeadTouchEntity, {
          id: randomUUID(),
          leadId: id,
          gymId: gym.gymId,
          at: now - 9 * DAY,
          actorId: null,
          kind: "trial",
          note: "Trial booked",
        });
    }
    owner = await sockets.connect(gym.ownerId);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("counts attendance, fill rate, waitlist demand and the no-show and late-cancel rates", async () => {
    const r = result<OwnerReport>(await owner.command(`gym:${gym.gymId}`, "gym:ownerReport", { days: 30 }));
    expect(r.byClassType).toEqual([
      expect.objectContaining({
        label: "Strength",
        sessions: 2,
        capacity: 8,
        taken: 4,
        checkedIn: 3,
        noShows: 1,
        lateCancels: 1,
        waitlisted: 2,
        fillRate: 0.5,
      }),
    ]);
    expect(r.byCoach).toEqual([expect.objectContaining({ sessions: 2, checkedIn: 3 })]);
    expect(r.byHour.reduce((n, h) => n + h.sessions, 0)).toBe(2);
    expect(r.noShowRate).toBe(0.25);
    expect(r.lateCancelRate).toBe(0.2);
    expect(r.trials).toEqual({ leads: 3, trialsBooked: 2, converted: 1, conversionRate: 0.5 });
    // Members joined 90 days ago: outside a 30-day window's cohorts.
    expect(r.cohorts).toEqual([]);
  });

  it("lists members at risk with the reason: quiet for 14 days, never came, or visits falling", async () => {
    const r = result<OwnerReport>(await owner.command(`gym:${gym.gymId}`, "gym:ownerReport", {}));
    const why = new Map(r.atRisk.members.map((m) => [m.memberId, m.reason]));
    expect(why.get(gym.members[3]!.id)).toBe("No visit in 14 days");
    expect(why.get(gym.members[4]!.id)).toBe("Never visited");
    expect(why.has(gym.members[0]!.id)).toBe(false);
    const names = r.atRisk.members.map((m) => m.name);
    expect(names).toEqual([...names].sort(new Intl.Collator("en").compare));
  });

  it("follows retention by join month, and money by week from the charges and unsettled class fees", async () => {
    const e = em();
    await e.nativeUpdate(
      GymMembershipEntity,
      { gymId: gym.gymId, userId: gym.members[5]!.id },
      { joinedAt: now - 100 * DAY, status: "cancelled" },
    );
    await e.getConnection().execute(
      `insert into member_charge (id, gym_id, member_id, kind, description, amount_cents, currency, status, created_at, created_by, fee_id, settled_at, settled_by, method, note)
       values (?, ?, ?, 'sale', '10-class pack', 12000, 'EUR', 'paid', ?, null, null, ?, null, 'cash', '')`,
      [randomUUID(), gym.gymId, gym.members[0]!.id, new Date(now - 2 * DAY), new Date(now - 2 * DAY)],
    );
    const r = result<OwnerReport>(await owner.command(`gym:${gym.gymId}`, "gym:ownerReport", { days: 365 }));
    const joined = r.cohorts.reduce((n, c) => n + c.joined, 0);
    expect(joined).toBe(6);
    expect(r.cohorts.reduce((n, c) => n + c.stayed, 0)).toBe(5);
    expect(r.moneyByWeek.reduce((n, w) => n + w.salesCents, 0)).toBe(12000);
    expect(r.moneyByWeek.reduce((n, w) => n + w.paidCents, 0)).toBe(12000);
  });

  it("downloads each table as CSV, and is for owners and admins only", async () => {
    const csv = result<{ name: string; csv: string }>(
      await owner.command(`gym:${gym.gymId}`, "gym:ownerReportCsv", { days: 30, table: "classTypes" }),
    );
    expect(csv.name).toBe("classTypes.csv");
    expect(csv.csv.split("\r\n")[1]).toBe("Strength,2,8,4,3,1,1,2,50.0");
    const desk = await sockets.connect(gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:ownerReport", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});
