/**
 * Issue 18 "People", two gaps: tags change by add/remove steps (two staff tagging at once both keep their tag; the
 * whole-list write is gone), and a cancelled membership is reactivated — audited, told to the member in words, live
 * on the desks and in the member's own room, and their open socket may book again. Over real sockets on PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import { reactivatedText, retag } from "../../../app/admin/memberStanding.js";
import { localDate } from "../../../domain/schedule/timeZone.js";
import type { DeskChange } from "../../../domain/checkin/deskChanges.js";
import type { UserView } from "../../../domain/views/userView.js";
import { AuditLogEntity, GymMembershipEntity, MemberChargeEntity, PlanAssignmentEntity } from "../../../server/db/entities/index.js";
import { gymSuite } from "../../support/gymSuite.js";
import { eventually, watchRoom } from "../../support/sockets.js";

const DAY = 86_400_000;

describe("tags as steps, and reactivating a cancelled membership", () => {
  const s = gymSuite({ members: 4, staff: true });
  const { sockets, em } = s;

  it("applies a step to the tags as they are: without case, no doubles, the first spelling kept", () => {
    expect(retag(["VIP", "am"], { add: ["vip", "Comp"], remove: ["AM"] })).toEqual(["VIP", "Comp"]);
    expect(retag([], { remove: ["x"] })).toEqual([]);
  });

  it("keeps both tags when two staff tag the same member at once (regression: the last whole-list write won)", async () => {
    const memberId = s.gym.members[0]!.id;
    const admin = await sockets.connect(s.gym.ownerId);
    // Many rounds, each two steps at once from two sockets: every tag stands in the end.
    for (let i = 0; i < 5; i++) {
      const answers = await Promise.all([
        s.desk.command(s.room, "gym:tagMember", { memberId, add: [`desk-${i}`] }),
        admin.command(s.room, "gym:tagMember", { memberId, add: [`owner-${i}`] }),
      ]);
      for (const a of answers) expect(a).toMatchObject({ ok: true, result: { changed: true } });
    }
    const row = await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: memberId });
    expect([...(row.tags ?? [])].sort()).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`desk-${i}`, `owner-${i}`]).sort());
    // A removal at the same time as an add: both stand.
    await Promise.all([
      s.desk.command(s.room, "gym:tagMember", { memberId, remove: ["desk-0"] }),
      admin.command(s.room, "gym:tagMember", { memberId, add: ["late"] }),
    ]);
    const after = (await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: memberId })).tags ?? [];
    expect(after).toContain("late");
    expect(after).not.toContain("desk-0");
    // The whole-list write is gone; an empty step says what's missing; the cap holds; audited with counts only.
    expect(await s.desk.command(s.room, "gym:updateMember", { memberId, tags: ["only-mine"] })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await s.desk.command(s.room, "gym:tagMember", { memberId })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    const many = Array.from({ length: 15 }, (_, i) => `extra-${i}`);
    expect(await s.desk.command(s.room, "gym:tagMember", { memberId, add: many })).toMatchObject({
      ok: false,
      error: { code: "LIMIT_EXCEEDED", message: expect.stringContaining("at most 20 tags") },
    });
    const audit = await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "gym:tagMember", entityId: memberId });
    expect(audit).toHaveLength(12);
    expect(JSON.stringify(audit.map((a) => a.summary))).not.toContain("owner-");
  });

  it("reactivates a cancelled member: refused while not cancelled and for the desk; then audited, told, live, and they book again", async () => {
    const m = s.gym.members[1]!;
    const member = await sockets.connect(m.id);
    const me = await watchRoom<UserView>(member, `user:${m.id}`);
    expect(await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", message: "Only a cancelled membership can be reactivated." },
    });
    expect(await s.owner.command(s.room, "gym:setMembership", { memberId: m.id, status: "cancelled" })).toMatchObject({ ok: true });
    const cls = await s.gym.addSession({ startsAt: Date.now() + 2 * DAY, endsAt: Date.now() + 2 * DAY + 3_600_000 });
    const book = () => member.command(`class:${cls.id}`, "class:book", { sessionId: cls.id });
    await eventually(async () => expect(await book()).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } }));
    expect(await s.desk.command(s.room, "gym:reactivateMember", { memberId: m.id })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const watcher = await sockets.connect(s.gym.deskId);
    const deskView = await watchRoom<{ desk: Record<string, DeskChange> }>(watcher, s.room);
    const account = me().account ?? 0;

    expect(await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id })).toEqual({
      ok: true,
      result: { memberId: m.id, status: "active", planId: expect.any(String), planEnded: false, chargeId: null },
    });
    // The desk's open screen and the member's own room (their Me reads the account again) follow without a reload.
    await eventually(() =>
      expect(
        Object.values(deskView().desk)
          .filter((c) => c.kind === "member" && c.memberId === m.id)
          .at(-1),
      ).toMatchObject({
        status: "active",
      }),
    );
    await eventually(() => expect(me().account ?? 0).toBeGreaterThan(account));
    await eventually(() =>
      expect(Object.values(me().notices).map((n) => n.text)).toContain(
        "Your membership is active again with your plan as it was — you can book classes.",
      ),
    );
    // The same open socket books again.
    await eventually(async () => expect(await book()).toMatchObject({ ok: true, result: { status: "booked" } }));
    const [audit] = await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "gym:reactivateMember", entityId: m.id });
    expect(audit!.summary).toMatchObject({ before: { status: "cancelled" }, after: { status: "active", planEnded: false } });
    expect(await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
  });

  it("reactivates onto no plan when the plan ended meanwhile, and says so", async () => {
    const m = s.gym.members[2]!;
    await em().nativeUpdate(GymMembershipEntity, { gymId: s.gym.gymId, userId: m.id }, { status: "cancelled", planEndsOn: "2020-01-31" });
    expect(await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id })).toMatchObject({
      ok: true,
      result: { status: "active", planEnded: true },
    });
    const [row] = await em()
      .getConnection()
      .execute<{ text: string }[]>(`select text from notice where user_id = ? order by at desc limit 1`, [m.id]);
    expect(row!.text).toBe("Your membership is active again. Ask the front desk for a plan to book classes.");
  });

  it("reactivates onto another plan the staff choose: it starts today as an assignment would, charged, audited, live at the desk and on Me", async () => {
    const m = s.gym.members[3]!;
    const today = localDate(Date.now(), "Europe/Berlin");
    const saved = (await s.owner.command(s.room, "gym:savePlan", {
      name: "Comeback monthly",
      kind: "unlimited",
      priceCents: 4_900,
      billingPeriod: "month",
      weeklyTarget: 2,
      classTypeIds: [],
    })) as { ok: true; result: { planId: string } };
    const planId = saved.result.planId;
    const old = (await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: m.id })).planId;
    expect(old).not.toBe(planId);
    expect(await s.owner.command(s.room, "gym:setMembership", { memberId: m.id, status: "cancelled" })).toMatchObject({ ok: true });
    const member = await sockets.connect(m.id);
    const me = await watchRoom<UserView>(member, `user:${m.id}`);
    const watcher = await sockets.connect(s.gym.deskId);
    const deskView = await watchRoom<{ desk: Record<string, DeskChange> }>(watcher, s.room);

    // A plan that isn't this gym's, or an archived one: refused in words, the membership still cancelled.
    expect(await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id, planId: s.gym.gymId })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { planId: "No such plan in this gym — pick one of its plans" } },
    });
    const archived = (await s.owner.command(s.room, "gym:savePlan", {
      name: "Old drop-in",
      kind: "unlimited",
      priceCents: 1_000,
      billingPeriod: "month",
      weeklyTarget: 1,
      classTypeIds: [],
    })) as { ok: true; result: { planId: string } };
    expect(
      await s.owner.command(s.room, "gym:savePlan", {
        planId: archived.result.planId,
        name: "Old drop-in",
        kind: "unlimited",
        priceCents: 1_000,
        billingPeriod: "month",
        weeklyTarget: 1,
        classTypeIds: [],
        archived: true,
      }),
    ).toMatchObject({ ok: true });
    expect(await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id, planId: archived.result.planId })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { planId: "This plan is archived — pick a current one" } },
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: m.id })).toMatchObject({
      status: "cancelled",
      planId: old,
    });

    const answer = (await s.owner.command(s.room, "gym:reactivateMember", { memberId: m.id, planId })) as {
      ok: true;
      result: { chargeId: string };
    };
    expect(answer).toEqual({
      ok: true,
      result: { memberId: m.id, status: "active", planId, planEnded: false, chargeId: expect.any(String) },
    });
    // On the new plan from today, as gym:assignPlan would: an assignment, the first period's dues at its price.
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: s.gym.gymId, userId: m.id })).toMatchObject({
      status: "active",
      planId,
      planStartsOn: today,
    });
    expect(await em().count(PlanAssignmentEntity, { gymId: s.gym.gymId, memberId: m.id, planId, startsOn: today })).toBe(1);
    expect(await em().findOneOrFail(MemberChargeEntity, { id: answer.result.chargeId })).toMatchObject({
      memberId: m.id,
      kind: "dues",
      amountCents: 4_900,
      status: "open",
      description: `Comeback monthly from ${today}`,
    });
    // Audited: the reactivation (what plan before and after) and the assignment, in the same commit.
    const [audit] = await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "gym:reactivateMember", entityId: m.id });
    expect(audit!.summary).toMatchObject({
      before: { status: "cancelled", planId: old },
      after: { status: "active", planId, planChanged: true, chargeId: answer.result.chargeId },
    });
    expect(await em().count(AuditLogEntity, { gymId: s.gym.gymId, action: "gym:assignPlan", entityId: m.id })).toBe(1);
    // Live: the desk's open screen, and the member's Me (their plan and what they owe) and inbox.
    await eventually(() =>
      expect(
        Object.values(deskView().desk)
          .filter((c) => c.kind === "member" && c.memberId === m.id)
          .at(-1),
      ).toMatchObject({ status: "active" }),
    );
    const told = reactivatedText({ name: "Comeback monthly", priceCents: 4_900 }, false);
    expect(told).toBe(
      "Your membership is active again on Comeback monthly from today — you can book classes. Its first dues are in your account.",
    );
    await eventually(() => expect(Object.values(me().notices).map((n) => n.text)).toContain(told));
    expect(await member.command(`user:${m.id}`, "user:me", {})).toMatchObject({
      ok: true,
      result: { membership: { status: "active", owedCents: 4_900 } },
    });
  });
});
