/**
 * Issue 18: a gym brings its visit history over from another system — who was booked in classes that already
 * started, checked in or a no-show (with the gym's fee if asked) — in one audited transaction; every row is checked
 * (member and class of the gym, class started, once per class) and one bad row imports nothing. Real PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminActor } from "../../../app/admin/ports.js";
import { HistoryLimits, importHistory, type HistoryPorts, type HistoryVisit } from "../../../app/setup/importHistory.js";
import { DomainError } from "../../../domain/errors.js";
import {
  AttendanceEventEntity,
  AuditLogEntity,
  BookingEntity,
  CheckInEntity,
  FeeEntity,
  GymEntity,
} from "../../../server/db/entities/index.js";
import { historyStore } from "../../../server/persistence/historyStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";

const HOUR = 3_600_000;

describe("importing visit history from another system", () => {
  let t: TestServer;
  let gym: GymFixture;
  let other: GymFixture;
  let ports: HistoryPorts;
  const em = () => t.server.db.orm.em.fork();
  const actor = (): AdminActor => ({ userId: gym.ownerId, role: "owner", gymId: gym.gymId, commandId: randomUUID(), now: Date.now() });
  const counts = async (sessionIds: string[]) => ({
    bookings: await em().count(BookingEntity, { sessionId: { $in: sessionIds } }),
    checkIns: await em().count(CheckInEntity, { sessionId: { $in: sessionIds } }),
    attendance: await em().count(AttendanceEventEntity, { sessionId: { $in: sessionIds } }),
    fees: await em().count(FeeEntity, { sessionId: { $in: sessionIds } }),
  });

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 4 });
    other = await aGym(t.server.db.orm, { members: 1 });
    ports = { store: historyStore(t.server.db.orm), newId: randomUUID };
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("writes bookings, check-ins, attendance and no-show fees of started classes, audited as one import", async () => {
    const now = Date.now();
    const ended = await gym.addSession({ startsAt: now - 26 * HOUR, endsAt: now - 25 * HOUR, status: "completed" });
    const running = await gym.addSession({ startsAt: now - 10 * 60_000, endsAt: now + 50 * 60_000 });
    const [m1, m2, m3] = gym.members.map((m) => m.id);
    const a = actor();
    const out = await importHistory(ports, a, {
      noShowFees: true,
      visits: [
        { sessionId: ended.id, memberId: m1!, outcome: "checked_in", bookedAt: ended.startsAt - 5 * HOUR },
        { sessionId: ended.id, memberId: m2!, outcome: "no_show" },
        { sessionId: running.id, memberId: m3!, outcome: "booked" },
      ],
    });
    expect(out).toEqual({ visits: 3, checkedIn: 1, noShows: 1, booked: 1, fees: 1, feeCents: expect.any(Number) });
    const bookings = await em().find(BookingEntity, { sessionId: { $in: [ended.id, running.id] } }, { orderBy: { createdAt: "asc" } });
    expect(bookings.map((b) => [b.memberId, b.status, b.createdAt])).toEqual([
      [m1, "checked_in", ended.startsAt - 5 * HOUR],
      [m2, "no_show", ended.startsAt - HOUR],
      [m3, "booked", running.startsAt - HOUR],
    ]);
    expect(await em().find(CheckInEntity, { sessionId: ended.id })).toMatchObject([{ memberId: m1, result: "accepted" }]);
    expect(await em().find(AttendanceEventEntity, { sessionId: ended.id })).toMatchObject([{ memberId: m1, at: ended.startsAt }]);
    const policy = (await em().findOneOrFail(GymEntity, { id: gym.gymId })).policy;
    expect(await em().find(FeeEntity, { sessionId: ended.id })).toMatchObject([
      { memberId: m2, kind: "no_show", amountCents: policy.noShowFeeCents, currency: policy.currency, waived: false },
    ]);
    const audit = await em().find(AuditLogEntity, { gymId: gym.gymId, commandId: a.commandId });
    expect(audit.map((r) => [r.action, r.entityType, r.actorId])).toEqual([["gym:importHistory", "import", gym.ownerId]]);
    expect(audit[0]!.summary).toMatchObject({ after: { visits: 3, checkedIn: 1, noShows: 1, booked: 1, fees: 1, classes: 2 } });
    // A retry of the same command imports nothing more and answers the same.
    expect(await importHistory(ports, a, { noShowFees: true, visits: [] })).toEqual(out);
    expect(await counts([ended.id, running.id])).toEqual({ bookings: 3, checkIns: 1, attendance: 1, fees: 1 });
  });

  it("refuses a bad row with its number and words, and imports none of the good ones", async () => {
    const now = Date.now();
    const past = await gym.addSession({ startsAt: now - 50 * HOUR, endsAt: now - 49 * HOUR, status: "completed" });
    const ahead = await gym.addSession({ startsAt: now + 5 * HOUR, endsAt: now + 6 * HOUR });
    const theirs = await other.addSession({ startsAt: now - 50 * HOUR, endsAt: now - 49 * HOUR, status: "completed" });
    const [m1, m2] = gym.members.map((m) => m.id);
    const good: HistoryVisit = { sessionId: past.id, memberId: m1!, outcome: "checked_in" };
    const cases: [HistoryVisit, string, string][] = [
      [{ sessionId: ahead.id, memberId: m2!, outcome: "booked" }, "That class has not started yet — book it instead", "sessionId"],
      [{ sessionId: theirs.id, memberId: m2!, outcome: "checked_in" }, "No such class in this gym", "sessionId"],
      [{ sessionId: past.id, memberId: other.members[0]!.id, outcome: "no_show" }, "Not a member of this gym", "memberId"],
      [{ sessionId: past.id, memberId: gym.coachId, outcome: "no_show" }, "Not a member of this gym", "memberId"],
      [{ sessionId: past.id, memberId: m2!, outcome: "booked" }, "That class is over: checked in or no-show", "outcome"],
      [{ sessionId: past.id, memberId: m1!, outcome: "no_show" }, "That member is already in that class", "memberId"],
      [{ ...good, memberId: m2!, bookedAt: past.startsAt + 1 }, "Booked after the class started", "bookedAt"],
    ];
    for (const [bad, message, field] of cases) {
      const out = await importHistory(ports, actor(), { noShowFees: true, visits: [good, bad] });
      expect(out).toBeInstanceOf(DomainError);
      expect(out).toMatchObject({
        code: "VALIDATION_FAILED",
        message: `Visit 2: ${message} — nothing was imported.`,
        fields: { [field]: message },
      });
    }
    expect(await counts([past.id, ahead.id, theirs.id])).toEqual({ bookings: 0, checkIns: 0, attendance: 0, fees: 0 });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:importHistory" })).toBe(1);
  });

  it("is capped, and no-show fees are only charged when asked", async () => {
    const now = Date.now();
    const past = await gym.addSession({ startsAt: now - 80 * HOUR, endsAt: now - 79 * HOUR, status: "completed" });
    const visit: HistoryVisit = { sessionId: past.id, memberId: gym.members[3]!.id, outcome: "no_show" };
    const over = await importHistory(ports, actor(), {
      noShowFees: false,
      visits: Array.from({ length: HistoryLimits.visits + 1 }, () => visit),
    });
    expect(over).toMatchObject({ code: "LIMIT_EXCEEDED", message: `One import takes at most ${HistoryLimits.visits} visits — split it.` });
    expect(await importHistory(ports, actor(), { noShowFees: false, visits: [visit] })).toMatchObject({ noShows: 1, fees: 0 });
    expect(await counts([past.id])).toEqual({ bookings: 1, checkIns: 0, attendance: 0, fees: 0 });
  });
});
