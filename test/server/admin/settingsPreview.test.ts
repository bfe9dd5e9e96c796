/**
 * Issue 18 "Settings": before an owner saves, `gym:previewPolicy` says per changed setting where it applies
 * (docs/domain.md "Settings and their defaults") and how many classes and bookings it reaches now, counted from the
 * database; it changes nothing, and refuses what `gym:setPolicy` would refuse.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewPolicy } from "../../../app/admin/settings.js";
import type { AdminStore } from "../../../app/admin/ports.js";
import type { BookingStatus } from "../../../domain/model.js";
import { AuditLogEntity, BookingEntity, GymEntity } from "../../../server/db/entities/index.js";
import { adminStore } from "../../../server/persistence/adminStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const HOUR = 3_600_000;

describe("gym:previewPolicy", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let room: string;
  const em = () => t.server.db.orm.em.fork();

  /** Books members[from…] into the session with these statuses, one member each. */
  async function bookings(sessionId: string, from: number, statuses: BookingStatus[]): Promise<void> {
    const e = em();
    statuses.forEach((status, i) =>
      e.create(BookingEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        sessionId,
        memberId: gym.members[from + i]!.id,
        status,
        createdAt: Date.now(),
        updatedAt: Date.now(),
        creditUsed: false,
        promotedFromWaitlist: false,
      }),
    );
    await e.flush();
  }

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "p".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 8 });
    room = `gym:${gym.gymId}`;
    owner = await sockets.connect(gym.ownerId);
    // Upcoming (the fixture's, tomorrow): 3 booked, 1 checked in early, 1 cancelled.
    await bookings(gym.sessionId, 0, ["booked", "booked", "booked", "checked_in", "cancelled"]);
    // Another upcoming class, empty.
    await gym.addSession({ startsAt: Date.now() + 48 * HOUR, endsAt: Date.now() + 49 * HOUR });
    // Started an hour ago, not closed yet: 2 booked (a no-show fee may still fall), 1 checked in.
    const running = await gym.addSession({ startsAt: Date.now() - HOUR, endsAt: Date.now() + HOUR });
    await bookings(running.id, 0, ["booked", "booked", "checked_in"]);
    // Closed and cancelled classes are out of every count.
    const closed = await gym.addSession({ startsAt: Date.now() - 30 * HOUR, endsAt: Date.now() - 29 * HOUR, status: "completed" });
    await bookings(closed.id, 0, ["booked", "no_show"]);
    const cancelled = await gym.addSession({ startsAt: Date.now() + 72 * HOUR, endsAt: Date.now() + 73 * HOUR, status: "cancelled" });
    await bookings(cancelled.id, 0, ["booked"]);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("says fees reach every class not yet closed, counting their open bookings", async () => {
    const ack = await owner.command(room, "gym:previewPolicy", { lateCancelFeeCents: 700 });
    expect(ack).toMatchObject({
      ok: true,
      result: {
        changes: [
          {
            setting: "lateCancelFeeCents",
            scope: "open_classes",
            classes: 3,
            bookings: 5,
            text: "Late-cancel fee: €5.00 → €7.00. Applies at once to every class not yet closed — 3 classes, 5 bookings; fees already charged keep their amount.",
          },
        ],
      },
    });
  });

  it("says a booking-window change reaches only classes scheduled from now on, and how many upcoming classes keep theirs", async () => {
    const ack = await owner.command(room, "gym:previewPolicy", { bookingOpensMinutes: 2880, waitlistLimit: 1_000, promotionMode: "offer" });
    expect(ack).toMatchObject({ ok: true });
    const { changes } = (ack as { result: { changes: { setting: string; scope: string; classes: number; kept: unknown; text: string }[] } })
      .result;
    // waitlistLimit 1,000 is what the fixture's gym has: not a change.
    expect(changes.map((c) => c.setting)).toEqual(["promotionMode", "bookingOpensMinutes"]);
    expect(changes[1]).toEqual({
      setting: "bookingOpensMinutes",
      scope: "new_classes",
      classes: 0,
      bookings: 0,
      kept: { classes: 2, bookings: 4 },
      text:
        "Booking opens: 7 days before start → 2 days before start. Applies to classes scheduled from now on. " +
        "The 2 upcoming classes already on the timetable (4 bookings) keep 7 days before start — edit a class to change it.",
    });
    expect(changes[0]!.text).toContain("Class types with their own mode keep it.");
  });

  it("says the waiver default changes nothing before a waiver is published, and applies at once after", async () => {
    const before = await owner.command(room, "gym:previewPolicy", { waiverRequired: "check_in" });
    expect(before).toMatchObject({
      ok: true,
      result: {
        changes: [{ setting: "waiverRequired", scope: "at_once", classes: 0, text: expect.stringContaining("No waiver is in force yet") }],
      },
    });
    const published = await owner.command(room, "gym:publishWaiver", {
      title: "Waiver",
      version: "p-1",
      text: "I train at my own risk, always.",
    });
    expect(published).toMatchObject({ ok: true });
    expect(await owner.command(room, "gym:previewPolicy", { waiverRequired: "check_in" })).toMatchObject({
      ok: true,
      result: {
        changes: [
          {
            setting: "waiverRequired",
            scope: "at_once",
            classes: 3,
            bookings: 5,
            text: expect.stringContaining("the desk refuses members who haven't signed the version in force."),
          },
        ],
      },
    });
  });

  it("answers no changes for a draft equal to the saved settings, and changes nothing itself (no policy write, no audit row)", async () => {
    const policyBefore = (await em().findOneOrFail(GymEntity, { id: gym.gymId })).policy;
    const audits = await em().count(AuditLogEntity, { gymId: gym.gymId });
    expect(await owner.command(room, "gym:previewPolicy", {})).toEqual({ ok: true, result: { changes: [] } });
    expect(await owner.command(room, "gym:previewPolicy", { noShowFeeCents: 1000, checkInOpensMinutes: 30 })).toEqual({
      ok: true,
      result: { changes: [] },
    });
    await owner.command(room, "gym:previewPolicy", { noShowFeeCents: 0 });
    expect((await em().findOneOrFail(GymEntity, { id: gym.gymId })).policy).toEqual(policyBefore);
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId })).toBe(audits);
  });

  it("counts the gym's classes only for a draft that changes something (an empty or unchanged draft answers from the policy)", async () => {
    const store = adminStore(t.server.db.orm);
    let counted = 0;
    const counting: AdminStore = {
      ...store,
      read: (work) => store.read((tx) => work({ ...tx, classReach: (g, n) => ((counted += 1), tx.classReach(g, n)) })),
    };
    expect(await previewPolicy({ store: counting }, gym.gymId, Date.now(), {})).toEqual({ changes: [] });
    expect(await previewPolicy({ store: counting }, gym.gymId, Date.now(), { noShowFeeCents: 1000 })).toEqual({ changes: [] });
    expect(counted).toBe(0);
    const changed = await previewPolicy({ store: counting }, gym.gymId, Date.now(), { noShowFeeCents: 700 });
    expect(changed).toMatchObject({ changes: [{ setting: "noShowFeeCents", scope: "open_classes" }] });
    expect(counted).toBe(1);
  });

  it("refuses a draft that contradicts itself, or a value out of range, with the field named", async () => {
    expect(await owner.command(room, "gym:previewPolicy", { bookingClosesMinutes: 20_000 })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { bookingClosesMinutes: expect.stringContaining("Booking must close after it opens") } },
    });
    expect(await owner.command(room, "gym:previewPolicy", { lateCancelFeeCents: -1 })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { lateCancelFeeCents: expect.any(String) } },
    });
    expect(await owner.command(room, "gym:previewPolicy", { currency: "USD" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
  });

  it("is refused to a coach, the front desk and a member", async () => {
    const [coach, desk, member] = await Promise.all([
      sockets.connect(gym.coachId),
      sockets.connect(gym.deskId),
      sockets.connect(gym.members[7]!.id),
    ]);
    for (const s of [coach, desk, member])
      expect(await s.command(room, "gym:previewPolicy", { lateCancelFeeCents: 700 })).toMatchObject({
        ok: false,
        error: { code: "FORBIDDEN" },
      });
  });
});
