/**
 * Issue 18: a freeze ends by itself once the gym's local date passes its last day — the membership is active again at
 * once in the live rooms (the desk admits the member, a class books them) with one audit row by Spotter itself, and
 * several runners racing (as several nodes do) end each freeze once. The server's clock stays real (its rooms hold
 * leases by it); other runners get clocks of their own, and a freeze's last day is moved back to let days pass.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FreezeEndedNotice } from "../../../domain/admin/members.js";
import { addDays, localDate, startOfLocalDay } from "../../../domain/schedule/timeZone.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { AuditLogEntity, GymMembershipEntity, NoticeEntity } from "../../../server/db/entities/index.js";
import { freezeEndJob } from "../../../server/jobs/gymPassJobs.js";
import { createLogger } from "../../../server/logger.js";
import { freezeEndStore } from "../../../server/persistence/freezeEndStore.js";
import { gymSuite } from "../../support/gymSuite.js";
import { postgresOrPglite } from "../../support/services.js";

const pg = await postgresOrPglite();
const MINUTE = 60_000;
const TZ = "Europe/Berlin";

describe("freezes that end by themselves", () => {
  const s = gymSuite({
    pg,
    env: { SPOTTER_MODE: "embedded", JWT_SECRET: "f".repeat(40) },
    // The node's own timer stays out of the way: the test runs passes itself.
    started: (t) => t.server.freezeEnds.stop(),
    members: 3,
    staff: true,
  });
  const { sockets, em } = s;
  const today = localDate(Date.now(), TZ);
  /** Another node's runner at `at`: the same store, the same invalidation of every node's copies. */
  const runner = (at: number) =>
    freezeEndJob(
      {
        store: freezeEndStore(s.t.server.db.orm),
        notes: { memberChanged: (g, m) => s.t.server.standings.invalidateMember(g, m) },
        notices: s.t.server.notices,
      },
      () => at,
      createLogger("silent", "freeze-end-test"),
    );

  it("keeps the last day frozen, ends the freeze at the gym's next midnight, live and audited, once among racing runners", async () => {
    const { room } = s;
    const [ann, ben] = [s.gym.members[0]!.id, s.gym.members[1]!.id];
    for (const [memberId, until] of [
      [ann, today],
      [ben, addDays(today, 1)],
    ] as const)
      expect(await s.owner.command(room, "gym:freezeMember", { memberId, until, reason: "Travel" })).toMatchObject({ ok: true });
    const startsAt = startOfLocalDay(addDays(today, 2), TZ) + 10 * 60 * MINUTE;
    const session = await s.gym.addSession({ startsAt, endsAt: startsAt + 60 * MINUTE });
    const member = await sockets.connect(ann);
    // The live rooms hold Ann as frozen: the desk refuses her, her class refuses her.
    expect(await s.desk.command(room, "gym:checkIn", { memberId: ann, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "MEMBERSHIP_FROZEN" },
    });
    expect(await member.command(`class:${session.id}`, "class:book", { sessionId: session.id })).toMatchObject({
      ok: false,
      error: { code: "MEMBERSHIP_INACTIVE" },
    });

    // A minute before the gym's midnight her last frozen day is not over.
    const midnight = startOfLocalDay(addDays(today, 1), TZ);
    expect(await runner(midnight - MINUTE).runOnce()).toEqual({ gyms: 0, members: 0, busy: 0, failed: 0 });

    // A minute after, three runners race (three nodes): Ann's freeze ends once; Ben's (one more day) stays.
    const passes = await Promise.all([
      runner(midnight + MINUTE).runOnce(),
      runner(midnight + MINUTE).runOnce(),
      runner(midnight + MINUTE).runOnce(),
    ]);
    expect(passes.reduce((n, p) => n + p.members, 0)).toBe(1);
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: ann })).toMatchObject({
      status: "active",
      frozenUntil: null,
      freezeReason: "",
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: ben })).toMatchObject({ status: "frozen" });

    // At once, without a reload: the desk admits her and she books the class.
    expect(await s.desk.command(room, "gym:checkIn", { memberId: ann, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    expect(await member.command(`class:${session.id}`, "class:book", { sessionId: session.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });

    // One audit row by Spotter itself (no actor, role "system"), and the chain still verifies.
    const rows = await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "membership.unfrozen" });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: null,
      role: "system",
      entityId: ann,
      summary: { before: { status: "frozen", frozenUntil: today }, after: { memberId: ann, status: "active" } },
    });
    expect((await verifyAudit(em(), s.gym.gymId)).broken).toBeNull();
    // She is told once.
    expect(await em().count(NoticeEntity, { userId: ann, text: FreezeEndedNotice })).toBe(1);
    // Nothing left to end: a later pass does nothing.
    expect(await runner(midnight + 2 * MINUTE).runOnce()).toEqual({ gyms: 0, members: 0, busy: 0, failed: 0 });
  }, 60_000);

  it("is run by every node: the node's own job ends a freeze whose last day has passed, and its desk admits the member at once", async () => {
    const { room } = s;
    const ben = s.gym.members[1]!.id;
    expect(await s.desk.command(room, "gym:checkIn", { memberId: ben, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "MEMBERSHIP_FROZEN" },
    });
    // Two days pass: his last frozen day is now yesterday.
    await em().nativeUpdate(GymMembershipEntity, { gymId: s.gym.gymId, userId: ben }, { frozenUntil: addDays(today, -1) });
    expect(await s.t.server.freezeEnds.runOnce()).toEqual({ gyms: 1, members: 1, busy: 0, failed: 0 });
    expect(await s.desk.command(room, "gym:checkIn", { memberId: ben, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
  });

  it("ends the other gyms' freezes when one gym's pass fails: the failure is counted and the pass goes on", async () => {
    const ann = s.gym.members[0]!.id;
    await em().nativeUpdate(
      GymMembershipEntity,
      { gymId: s.gym.gymId, userId: ann },
      { status: "frozen", frozenUntil: addDays(today, -1) },
    );
    // A gym listed first whose pass throws (a time zone the clock can't read), then this gym with Ann's freeze over.
    const store = freezeEndStore(s.t.server.db.orm);
    const failing = freezeEndJob(
      {
        store: {
          ...store,
          dueGyms: async (now, limit) => [{ gymId: randomUUID(), timeZone: "Not/AZone" }, ...(await store.dueGyms(now, limit))],
        },
        notes: { memberChanged: (g, m) => s.t.server.standings.invalidateMember(g, m) },
        notices: s.t.server.notices,
      },
      () => Date.now(),
      createLogger("silent", "freeze-end-test"),
    );
    expect(await failing.runOnce()).toEqual({ gyms: 1, members: 1, busy: 0, failed: 1 });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: ann })).toMatchObject({ status: "active" });
  });

  it("never ends a freeze without a last day", async () => {
    const cat = s.gym.members[2]!.id;
    await em().nativeUpdate(GymMembershipEntity, { gymId: s.gym.gymId, userId: cat }, { status: "frozen", frozenUntil: null });
    const before = await em().count(AuditLogEntity, { gymId: s.gym.gymId, action: "membership.unfrozen" });
    expect(await runner(Date.now() + 400 * 24 * 60 * MINUTE).runOnce()).toEqual({ gyms: 0, members: 0, busy: 0, failed: 0 });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: cat })).toMatchObject({ status: "frozen" });
    expect(await em().count(AuditLogEntity, { gymId: s.gym.gymId, action: "membership.unfrozen" })).toBe(before);
  });
});
