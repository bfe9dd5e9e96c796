/**
 * A member's tags as operations, and reactivating a cancelled membership, on its plan or another (issue 18 "People"). Each in one audited
 * transaction under the membership's row lock; the live rooms, desks, open profiles and the member's own Me hear of it.
 */
import { DomainError } from "../../domain/errors.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { assignWithin } from "./plans.js";
import type { AdminActor, AdminPorts } from "./ports.js";

/** Most tags a member carries (the protocol's cap per request, kept on the whole list here). */
export const MaxTags = 20;

const sameTag = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The tags after removing `remove` and adding `add` (compared without case; a tag already there is not doubled, the
 * first spelling stays). Pure: two staff tagging at once each apply their own step to the list the other left.
 */
export function retag(tags: readonly string[], change: { add?: readonly string[]; remove?: readonly string[] }): string[] {
  const kept = tags.filter((t) => !(change.remove ?? []).some((r) => sameTag(r, t)));
  for (const a of change.add ?? []) if (!kept.some((t) => sameTag(t, a))) kept.push(a.trim());
  return kept;
}

/** The front desk tags members only; nobody changes their own membership here. */
function mayTag(actor: AdminActor, target: { memberId: string; role: string }): DomainError | null {
  if (target.memberId === actor.userId)
    return new DomainError("FORBIDDEN", "You can't change your own membership — ask another owner or admin.");
  if (actor.role === "front_desk" && target.role !== "member")
    return new DomainError("FORBIDDEN", "The front desk changes members only — ask an owner or admin.");
  return null;
}

/**
 * Adds and removes tags as operations (never a whole list): two staff editing at once both keep their change, since
 * each applies its step under the row lock to what the other committed. → `{ memberId, tags }`.
 */
export async function tagMember(
  ports: AdminPorts,
  actor: AdminActor,
  input: { memberId: string; add?: string[] | undefined; remove?: string[] | undefined },
) {
  const result = await ports.store.transaction(actor, "gym:tagMember", async (tx) => {
    const member = await tx.member(actor.gymId, input.memberId, true);
    const profile = member && (await tx.memberProfile(actor.gymId, input.memberId));
    if (!member || !profile) return null;
    const refused = mayTag(actor, member);
    if (refused) throw refused;
    const tags = retag(profile.tags, input);
    if (tags.length > MaxTags && tags.length > profile.tags.length)
      throw new DomainError("LIMIT_EXCEEDED", `A member carries at most ${MaxTags} tags — remove one first.`, {
        fields: { add: `At most ${MaxTags} tags` },
      });
    const added = tags.filter((t) => !profile.tags.includes(t)).length;
    const removed = profile.tags.filter((t) => !tags.includes(t)).length;
    if (added + removed === 0) return { memberId: input.memberId, tags, changed: false };
    await tx.updateMember(actor.gymId, input.memberId, { tags });
    // Counts only: tags can say things about a person ("physio referral").
    tx.audit({
      action: "gym:tagMember",
      entityType: "member",
      entityId: input.memberId,
      before: { tags: profile.tags.length },
      after: { tags: tags.length, added, removed },
    });
    return { memberId: input.memberId, tags, changed: true };
  });
  if (result && !(result instanceof DomainError) && result.changed) ports.notes.memberChanged(actor.gymId, input.memberId);
  return result;
}

/**
 * Reactivates a cancelled membership (owners, admins; docs/domain.md "Members" → *Reactivating*): active from now.
 * Without `planId`, with the plan and plan days it had — nothing is sold, charged or refunded; credits keep their
 * balance and expiry. With `planId`, on that plan from today instead, exactly as `gym:assignPlan` puts a member on it
 * (its first period's dues charged, a pack's credits added; the old plan bills no more). A freeze it had is cleared.
 * A plan that ended meanwhile entitles nothing until staff assign one (the answer and the member's notice say so).
 * → `{ memberId, status: "active", planId, planEnded, chargeId }`.
 */
export async function reactivateMember(ports: AdminPorts, actor: AdminActor, input: { memberId: string; planId?: string | undefined }) {
  const result = await ports.store.transaction(actor, "gym:reactivateMember", async (tx) => {
    const gym = await tx.gym(actor.gymId);
    const member = await tx.member(actor.gymId, input.memberId, true);
    if (!gym || !member) return null;
    if (member.memberId === actor.userId)
      throw new DomainError("FORBIDDEN", "You can't change your own membership — ask another owner or admin.");
    if (member.role !== "member") throw new DomainError("FORBIDDEN", "Staff are given their access back under Staff, not here.");
    if (member.status !== "cancelled")
      throw new DomainError("VALIDATION_FAILED", "Only a cancelled membership can be reactivated.", {
        fields: { memberId: `The membership is ${member.status.replace("_", " ")}` },
      });
    const plan = input.planId === undefined ? null : await tx.plan(actor.gymId, input.planId);
    if (input.planId !== undefined && !plan)
      throw new DomainError("VALIDATION_FAILED", undefined, { fields: { planId: "No such plan in this gym — pick one of its plans" } });
    await tx.setFreeze(actor.gymId, input.memberId, { status: "active", frozenUntil: null, freezeReason: "" });
    // On another plan: the same assignment as `gym:assignPlan` (its own audit row), in this transaction.
    const assigned = plan ? await assignWithin(ports, actor, tx, { gym, member, plan }, { memberId: input.memberId }) : null;
    const today = localDate(actor.now, gym.timeZone);
    const planId = plan ? plan.id : member.planId;
    const planEnded = !plan && (member.planId === null || (member.planEndsOn != null && member.planEndsOn < today));
    tx.audit({
      action: "gym:reactivateMember",
      entityType: "member",
      entityId: input.memberId,
      before: { status: "cancelled", planId: member.planId },
      after: {
        status: "active",
        planId,
        planEnded,
        planChanged: plan !== null && plan.id !== member.planId,
        chargeId: assigned?.chargeId ?? null,
      },
    });
    await ports.notices.notify(
      [input.memberId],
      { kind: "membership", text: reactivatedText(plan, planEnded), gymId: actor.gymId },
      tx.notices,
    );
    return { memberId: input.memberId, status: "active" as const, planId, planEnded, chargeId: assigned?.chargeId ?? null };
  });
  if (!result || result instanceof DomainError) return result;
  ports.notes.memberChanged(actor.gymId, input.memberId);
  // Their sockets were refused while cancelled: every node reads their access again.
  await ports.accessChanged?.(actor.gymId, input.memberId);
  return result;
}

/** What the member reads when their membership is active again (a plan's name is at most 150 characters). */
export function reactivatedText(plan: { name: string; priceCents: number } | null, planEnded: boolean): string {
  if (plan)
    return `Your membership is active again on ${plan.name.slice(0, 150)} from today — you can book classes.${plan.priceCents > 0 ? " Its first dues are in your account." : ""}`;
  return planEnded
    ? "Your membership is active again. Ask the front desk for a plan to book classes."
    : "Your membership is active again with your plan as it was — you can book classes.";
}
