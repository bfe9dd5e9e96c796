/**
 * Issue 18: recurring dues — when a plan's next billing period starts in the gym's time zone, its dues charge opens in
 * the member's account once (several runners racing, as several nodes do), at the assignment's price, with one audit
 * row by Spotter itself; the member's own screen and the desk hear of it at once. No dues for a period that starts
 * while frozen, after the plan's last day, or for a cancelled membership. The server's clock stays real (its rooms
 * hold leases by it); the runners get clocks of their own to let days pass.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { duesNoticeText, periodOf, periodStart } from "../../../domain/admin/dues.js";
import type { DeskChange } from "../../../domain/checkin/deskChanges.js";
import type { UserView } from "../../../domain/views/userView.js";
import { addDays, localDate, startOfLocalDay } from "../../../domain/schedule/timeZone.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { AuditLogEntity, GymEntity, MemberChargeEntity, NoticeEntity } from "../../../server/db/entities/index.js";
import { duesJob } from "../../../server/jobs/gymPassJobs.js";
import { createLogger } from "../../../server/logger.js";
import { duesStore } from "../../../server/persistence/duesStore.js";
import { standingNotifier } from "../../../server/requestsRuntime.js";
import { gymSuite } from "../../support/gymSuite.js";
import { postgresOrPglite } from "../../support/services.js";
import { eventually, watchRoom } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const MINUTE = 60_000;
const TZ = "Europe/Berlin";

describe("recurring dues", () => {
  const s = gymSuite({
    pg,
    env: { SPOTTER_MODE: "embedded", JWT_SECRET: "d".repeat(40) },
    // The node's own timer stays out of the way: the test runs passes itself.
    started: (t) => t.server.dues.stop(),
    members: 4,
    staff: true,
  });
  const { sockets, em } = s;
  const today = localDate(Date.now(), TZ);
  const second = periodStart(today, "month", 1);
  const third = periodStart(today, "month", 2);
  /** Another node's runner at `at`: the same store, the same notes to every node's rooms. */
  const runner = (at: number) =>
    duesJob(
      {
        store: duesStore(s.t.server.db.orm),
        notes: standingNotifier({ registry: s.t.server.registry, router: s.t.server.router, notes: s.t.server.standings }),
        notices: s.t.server.notices,
      },
      () => at,
      createLogger("silent", "dues-test"),
    );
  const dues = (memberId: string) =>
    em().find(MemberChargeEntity, { gymId: s.gym.gymId, memberId, kind: "dues" }, { orderBy: { createdAt: "asc" } });

  it("opens the next period's dues once at the gym's midnight, at the override price, live and audited — none while frozen, after the end or cancelled", async () => {
    const [ann, ben, cat, dan] = s.gym.members.map((m) => m.id) as [string, string, string, string];
    const saved = await s.owner.command(s.room, "gym:savePlan", {
      name: "Unlimited monthly",
      kind: "unlimited",
      priceCents: 8_900,
      billingPeriod: "month",
      weeklyTarget: 3,
      classTypeIds: [],
    });
    const planId = (saved as { result: { planId: string } }).result.planId;
    const assign = (memberId: string, extra: object = {}) =>
      s.owner.command(s.room, "gym:assignPlan", { memberId, planId, startsOn: today, ...extra });
    expect(await assign(ann, { priceCents: 7_500 })).toMatchObject({ ok: true });
    expect(await assign(ben)).toMatchObject({ ok: true });
    expect(await assign(cat, { endsOn: addDays(second, -1) })).toMatchObject({ ok: true });
    expect(await assign(dan)).toMatchObject({ ok: true });
    // Ben is frozen through the second period's first day; Dan cancels.
    expect(await s.owner.command(s.room, "gym:freezeMember", { memberId: ben, until: second, reason: "Travel" })).toMatchObject({
      ok: true,
    });
    expect(await s.owner.command(s.room, "gym:setMembership", { memberId: dan, status: "cancelled" })).toMatchObject({ ok: true });
    for (const m of [ann, ben, cat, dan]) expect(await dues(m)).toHaveLength(1);

    // Ann watches her own room; the desk's change list carries her.
    const mine = await sockets.connect(ann);
    const view = await watchRoom<UserView>(mine, `user:${ann}`);
    const accountBefore = view().account ?? 0;
    const deskSeq = async () => {
      const joined = (await s.desk.join(s.room)) as { ok: true; result: { snapshot: { desk: Record<string, DeskChange> } } };
      return Object.values(joined.result.snapshot.desk).find((c) => c.kind === "member" && c.memberId === ann)?.seq ?? 0;
    };
    const seqBefore = await deskSeq();

    // The gym words money and dates in German (the notice below reads the gym's locale, not the server's).
    await em().nativeUpdate(GymEntity, { id: s.gym.gymId }, { locale: "de-DE" });

    // A minute before the gym's midnight the first period is still running: nothing opens.
    const midnight = startOfLocalDay(second, TZ);
    expect(await runner(midnight - MINUTE).runOnce()).toEqual({ gyms: 0, opened: 0, skipped: 0, busy: 0, failed: 0 });

    // A minute after, three runners race (three nodes): Ann's second period opens once; Ben's (frozen) is skipped;
    // Dan's (cancelled) is passed over without a word.
    const passes = await Promise.all([1, 2, 3].map(() => runner(midnight + MINUTE).runOnce()));
    expect(passes.reduce((n, p) => n + p.opened, 0)).toBe(1);
    expect(passes.reduce((n, p) => n + p.skipped, 0)).toBe(1);
    const annDues = await dues(ann);
    expect(annDues).toHaveLength(2);
    expect(annDues[1]).toMatchObject({
      amountCents: 7_500,
      status: "open",
      createdBy: null,
      description: `Unlimited monthly, ${second} – ${addDays(third, -1)}`,
    });
    for (const m of [ben, cat, dan]) expect(await dues(m)).toHaveLength(1);

    // At once: her "Me" reads the account again and says what she owes; the desk's profile hears of her.
    await eventually(() => expect(view().account ?? 0).toBeGreaterThan(accountBefore));
    // She is told once, in words, in the gym's currency and locale (EUR, German here): in her inbox live,
    // stored in the charge's commit (push and email go out from that row); Ben (skipped) and Dan (cancelled) aren't.
    const told = duesNoticeText("Unlimited monthly", periodOf(today, "month", 1), 7_500, "EUR", "de-DE");
    expect(told).toMatch(/75,00\s€/u);
    await eventually(() => expect(Object.values(view().notices).filter((n) => n.text === told)).toHaveLength(1));
    expect(await em().count(NoticeEntity, { userId: ann, text: told, kind: "membership" })).toBe(1);
    for (const m of [ben, dan]) expect(await em().count(NoticeEntity, { userId: m, text: { $like: "%dues for%" } })).toBe(0);
    expect(await mine.command(`user:${ann}`, "user:me", {})).toMatchObject({ ok: true, result: { membership: { owedCents: 15_000 } } });
    await expect.poll(deskSeq, { timeout: 10_000 }).toBeGreaterThan(seqBefore);
    expect(await s.desk.command(s.room, "gym:memberAccount", { memberId: ann })).toMatchObject({
      ok: true,
      result: { owedCents: 15_000, charges: expect.arrayContaining([expect.objectContaining({ id: annDues[1]!.id, kind: "dues" })]) },
    });

    // One audit row per period by Spotter itself (no actor, role "system"); the chain still verifies.
    const opened = await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "dues.opened" });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      actorId: null,
      role: "system",
      entityId: ann,
      summary: { after: { memberId: ann, startsOn: second, chargeId: annDues[1]!.id, amountCents: 7_500 } },
    });
    // A skipped period is audited only where staff want to know (frozen); a cancelled membership writes nothing — a
    // churned member would otherwise add a row every period for ever.
    const skipped = await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "dues.skipped" });
    expect(skipped.map((r) => [r.entityId, (r.summary as { after: { reason: string } }).after.reason])).toEqual([[ben, "frozen"]]);
    expect((await verifyAudit(em(), s.gym.gymId)).broken).toBeNull();

    // Nothing left for this period: a later pass the same day opens nothing.
    expect(await runner(midnight + 2 * MINUTE).runOnce()).toEqual({ gyms: 0, opened: 0, skipped: 0, busy: 0, failed: 0 });

    // The third period: Ann again; Ben's freeze ended before it (even before its job lifted it), so he owes it;
    // Cat's plan ended; Dan is still cancelled.
    const next = startOfLocalDay(third, TZ);
    const later = await Promise.all([1, 2].map(() => runner(next + MINUTE).runOnce()));
    expect(later.reduce((n, p) => n + p.opened, 0)).toBe(2);
    expect((await dues(ann)).map((c) => c.amountCents)).toEqual([7_500, 7_500, 7_500]);
    expect(await dues(ben)).toHaveLength(2);
    expect((await dues(ben))[1]).toMatchObject({ amountCents: 8_900, status: "open" });
    expect(await dues(cat)).toHaveLength(1);
    expect(await dues(dan)).toHaveLength(1);
    expect(await em().count(AuditLogEntity, { gymId: s.gym.gymId, action: "dues.skipped", entityId: dan })).toBe(0);
  }, 90_000);

  it("stops billing a plan once another replaces it", async () => {
    const ann = s.gym.members[0]!.id;
    const saved = await s.owner.command(s.room, "gym:savePlan", {
      name: "Weekly 2x",
      kind: "weekly",
      classesPerWeek: 2,
      priceCents: 2_000,
      billingPeriod: "week",
      weeklyTarget: 2,
      classTypeIds: [],
    });
    const planId = (saved as { result: { planId: string } }).result.planId;
    expect(await s.owner.command(s.room, "gym:assignPlan", { memberId: ann, planId, startsOn: today })).toMatchObject({ ok: true });
    const before = (await dues(ann)).length;
    // A week on, only the weekly plan bills Ann (the replaced monthly plan is never looked at again).
    const at = startOfLocalDay(addDays(today, 7), TZ) + MINUTE;
    expect(await runner(at).runOnce()).toMatchObject({ opened: 1 });
    const now = await dues(ann);
    expect(now).toHaveLength(before + 1);
    expect(now.filter((c) => c.description.startsWith("Weekly 2x")).map((c) => [c.amountCents, c.description])).toEqual([
      [2_000, `Weekly 2x from ${today}`],
      [2_000, `Weekly 2x, ${addDays(today, 7)} – ${addDays(today, 13)}`],
    ]);
    // When the monthly plan's fourth period would start, it opens nothing; the weekly plan catches up one missed week
    // per pass, oldest first.
    const fourth = startOfLocalDay(periodStart(today, "month", 3), TZ) + MINUTE;
    await runner(fourth).runOnce();
    const after = await dues(ann);
    expect(after).toHaveLength(before + 2);
    expect(after.filter((c) => c.description.startsWith("Unlimited monthly"))).toHaveLength(3);
    expect(after.filter((c) => c.description.startsWith("Weekly 2x")).at(-1)).toMatchObject({
      description: `Weekly 2x, ${addDays(today, 14)} – ${addDays(today, 20)}`,
    });
  }, 60_000);

  it("bills the other gyms when one gym's pass fails: the failure is counted, logged and the pass goes on", async () => {
    const ann = s.gym.members[0]!.id;
    const before = (await dues(ann)).length;
    // A gym listed first whose pass throws (a time zone the clock can't read), then this gym with Ann's next week due.
    const store = duesStore(s.t.server.db.orm);
    const failing = duesJob(
      {
        store: {
          ...store,
          dueGyms: async (now, limit) => [{ gymId: randomUUID(), timeZone: "Not/AZone" }, ...(await store.dueGyms(now, limit))],
        },
        notes: standingNotifier({ registry: s.t.server.registry, router: s.t.server.router, notes: s.t.server.standings }),
        notices: s.t.server.notices,
      },
      () => startOfLocalDay(addDays(today, 21), TZ) + MINUTE,
      createLogger("silent", "dues-test"),
    );
    expect(await failing.runOnce()).toMatchObject({ gyms: 1, opened: 1, failed: 1 });
    // (ordered by the runners' clocks, this one's earlier than the last test's)
    expect((await dues(ann)).map((c) => c.description)).toContain(`Weekly 2x, ${addDays(today, 21)} – ${addDays(today, 27)}`);
    expect(await dues(ann)).toHaveLength(before + 1);
  }, 60_000);
});
