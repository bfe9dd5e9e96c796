/**
 * Plans and packs (issue 18): define a plan, put a member on one, sell a pack at the desk, adjust credits.
 * Each runs in one audited transaction through {@link AdminPorts}, then tells the live rooms on every node.
 */
import { DomainError } from "../../domain/errors.js";
import { entitlementOf, checkAdjustment, isCreditPlan, sellCredits, type PlanDefinition, type PlanKind } from "../../domain/admin/plans.js";
import { settleCharge, type Charge, type PaymentMethod } from "../../domain/admin/charges.js";
import type { Entitlement, MembershipPlan } from "../../domain/model.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { AdminActor, AdminPorts, AdminTx } from "./ports.js";

const invalid = (field: string, message: string) => new DomainError("VALIDATION_FAILED", undefined, { fields: { [field]: message } });

/** A plan as staff screens show it (plans made before kinds existed are read from their entitlement). */
export function planView(p: MembershipPlan) {
  const kind: PlanKind = p.kind ?? (p.entitlement.kind === "pack" ? "pack" : p.entitlement.kind);
  return {
    planId: p.id,
    name: p.name,
    kind,
    priceCents: p.priceCents,
    billingPeriod: p.billingPeriod ?? (kind === "pack" ? "once" : "month"),
    entitlement: p.entitlement,
    weeklyTarget: p.weeklyTarget,
    classTypeIds: p.classTypeIds ?? [],
    archived: p.archived === true,
  };
}

export async function listPlans(ports: AdminPorts, gymId: string) {
  const plans = await ports.store.read((tx) => tx.plans(gymId));
  return { plans: plans.map(planView).sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name)) };
}

/** Creates (no `planId`) or changes a plan. Members on a changed plan are decided on its new terms from their next tap. */
export async function savePlan(
  ports: AdminPorts,
  actor: AdminActor,
  input: PlanDefinition & { planId?: string | undefined; archived?: boolean | undefined },
) {
  const entitlement = entitlementOf(input);
  if (entitlement instanceof DomainError) return entitlement;
  const result = await ports.store.transaction(actor, "gym:savePlan", async (tx) => {
    if ((await tx.countClassTypes(actor.gymId, input.classTypeIds)) !== new Set(input.classTypeIds).size)
      throw invalid("classTypeIds", "Pick class types of this gym");
    const before = input.planId ? await tx.plan(actor.gymId, input.planId) : null;
    if (input.planId && !before) return null;
    const plan: MembershipPlan = {
      id: before?.id ?? ports.newId(),
      gymId: actor.gymId,
      name: input.name,
      entitlement,
      weeklyTarget: input.weeklyTarget,
      priceCents: input.priceCents,
      kind: input.kind,
      billingPeriod: input.billingPeriod,
      classTypeIds: [...new Set(input.classTypeIds)],
      archived: input.archived ?? before?.archived ?? false,
    };
    await tx.savePlan(plan);
    tx.audit({
      action: "gym:savePlan",
      entityType: "plan",
      entityId: plan.id,
      before: before ? planView(before) : null,
      after: planView(plan),
    });
    return { planId: plan.id, edited: before !== null };
  });
  if (result && !(result instanceof DomainError) && result.edited) ports.notes.gymChanged(actor.gymId);
  return result instanceof DomainError || result === null ? result : { planId: result.planId };
}

/** The gym, the member (locked) and the plan a request names; one after the other (one transaction, one connection). */
async function subjects(tx: AdminTx, actor: AdminActor, input: { memberId: string; planId: string }) {
  return {
    gym: await tx.gym(actor.gymId),
    member: await tx.member(actor.gymId, input.memberId, true),
    plan: await tx.plan(actor.gymId, input.planId),
  };
}

/** A credit plan's sale inside a transaction: credits added (with their expiry) and a ledger entry, in one statement. */
async function addPlanCredits(tx: AdminTx, actor: AdminActor, memberId: string, plan: MembershipPlan, ref: string) {
  const entitlement = plan.entitlement as Extract<Entitlement, { kind: "pack" }>;
  const member = (await tx.member(actor.gymId, memberId, true))!;
  const sold = sellCredits(member, entitlement, actor.now);
  const credits = await tx.moveCredits(
    actor.gymId,
    { memberId, amount: sold.add, kind: "sale", actorId: actor.userId, reason: plan.name, ref },
    actor.now,
    sold.creditsExpireAt,
  );
  return {
    credits: credits!,
    creditsExpireAt: sold.creditsExpireAt,
    before: { credits: member.credits, creditsExpireAt: member.creditsExpireAt },
  };
}

const chargeFor = (
  ports: AdminPorts,
  actor: AdminActor,
  memberId: string,
  kind: Charge["kind"],
  description: string,
  amountCents: number,
  currency: string,
): Charge => ({
  id: ports.newId(),
  gymId: actor.gymId,
  memberId,
  kind,
  description,
  amountCents,
  currency,
  status: "open",
  createdAt: actor.now,
  createdBy: actor.userId,
  feeId: null,
  settledAt: null,
  settledBy: null,
  method: null,
  note: "",
  refundOf: null,
});

/** Puts a member on a plan; a credit plan adds its credits, a price above 0 opens a `dues` charge. */
export async function assignPlan(
  ports: AdminPorts,
  actor: AdminActor,
  input: { memberId: string; planId: string; startsOn?: string | undefined; endsOn?: string | undefined; priceCents?: number | undefined },
) {
  const result = await ports.store.transaction(actor, "gym:assignPlan", async (tx) => {
    const { gym, member, plan } = await subjects(tx, actor, input);
    if (!gym || !member || !plan) return null;
    const done = await assignWithin(ports, actor, tx, { gym, member, plan }, input);
    return { assignmentId: done.assignmentId, credits: done.credits, chargeId: done.chargeId };
  });
  if (result && !(result instanceof DomainError)) ports.notes.memberChanged(actor.gymId, input.memberId);
  return result;
}

/**
 * Puts a member on `plan` inside the caller's transaction, as `gym:assignPlan` does (also what reactivating on another
 * plan does): a new assignment (its dues counted from `startsOn`), pack credits added, the first period's dues
 * charged, one audit row. An archived plan or an end before the start is refused.
 */
export async function assignWithin(
  ports: AdminPorts,
  actor: AdminActor,
  tx: AdminTx,
  s: {
    gym: NonNullable<Awaited<ReturnType<AdminTx["gym"]>>>;
    member: { planId: string | null; credits: number | null };
    plan: MembershipPlan;
  },
  input: { memberId: string; startsOn?: string | undefined; endsOn?: string | undefined; priceCents?: number | undefined },
) {
  const { gym, member, plan } = s;
  if (plan.archived) throw invalid("planId", "This plan is archived — pick a current one");
  const startsOn = input.startsOn ?? localDate(actor.now, gym.timeZone);
  if (input.endsOn !== undefined && input.endsOn < startsOn) throw invalid("endsOn", "The end must be on or after the start");
  const priceCents = input.priceCents ?? plan.priceCents;
  const assignmentId = ports.newId();
  await tx.setPlan(actor.gymId, input.memberId, plan.id, { startsOn, endsOn: input.endsOn ?? null });
  await tx.addAssignment({
    id: assignmentId,
    gymId: actor.gymId,
    memberId: input.memberId,
    planId: plan.id,
    startsOn,
    endsOn: input.endsOn ?? null,
    priceCents,
    assignedBy: actor.userId,
    assignedAt: actor.now,
    nextDuesOn: startsOn,
  });
  const added =
    isCreditPlan(planView(plan)) && plan.entitlement.kind === "pack"
      ? await addPlanCredits(tx, actor, input.memberId, plan, assignmentId)
      : null;
  const dues =
    priceCents > 0 ? chargeFor(ports, actor, input.memberId, "dues", `${plan.name} from ${startsOn}`, priceCents, gym.currency) : null;
  if (dues) await tx.addCharge(dues);
  tx.audit({
    action: "gym:assignPlan",
    entityType: "member",
    entityId: input.memberId,
    before: { planId: member.planId, credits: member.credits },
    after: {
      planId: plan.id,
      startsOn,
      endsOn: input.endsOn ?? null,
      priceCents,
      credits: added?.credits ?? member.credits,
      chargeId: dues?.id ?? null,
    },
  });
  return { assignmentId, startsOn, priceCents, credits: added?.credits ?? member.credits, chargeId: dues?.id ?? null };
}

/** Sells a pack, drop-in or trial with credits at the desk; `paid` settles the sale at once. */
export async function sellPack(
  ports: AdminPorts,
  actor: AdminActor,
  input: { memberId: string; planId: string; paid?: { method: PaymentMethod; reference?: string | undefined } | undefined },
) {
  const result = await ports.store.transaction(actor, "gym:sellPack", async (tx) => {
    const { gym, member, plan } = await subjects(tx, actor, input);
    if (!gym || !member || !plan) return null;
    if (plan.archived) throw invalid("planId", "This plan is archived — pick a current one");
    if (!isCreditPlan(planView(plan)) || plan.entitlement.kind !== "pack")
      throw invalid("planId", "Only packs, drop-ins and trials with credits are sold at the desk");
    let charge = chargeFor(ports, actor, input.memberId, "sale", plan.name, plan.priceCents, gym.currency);
    if (input.paid && charge.amountCents > 0)
      charge = settleCharge(
        charge,
        { paid: { method: input.paid.method, reference: input.paid.reference ?? "" } },
        actor.userId,
        actor.now,
      ) as Charge;
    if (charge.amountCents === 0) charge = { ...charge, status: "paid", settledAt: actor.now, settledBy: actor.userId, note: "Free" };
    // A pack entitles from today; its credits' expiry, not an end day, bounds it.
    await tx.setPlan(actor.gymId, input.memberId, plan.id, { startsOn: localDate(actor.now, gym.timeZone), endsOn: null });
    const added = await addPlanCredits(tx, actor, input.memberId, plan, charge.id);
    await tx.addCharge(charge);
    tx.audit({
      action: "gym:sellPack",
      entityType: "member",
      entityId: input.memberId,
      before: { planId: member.planId, ...added.before },
      after: {
        planId: plan.id,
        credits: added.credits,
        creditsExpireAt: added.creditsExpireAt,
        chargeId: charge.id,
        amountCents: charge.amountCents,
        status: charge.status,
      },
    });
    return { credits: added.credits, creditsExpireAt: added.creditsExpireAt, chargeId: charge.id, chargeStatus: charge.status };
  });
  if (result && !(result instanceof DomainError)) ports.notes.memberChanged(actor.gymId, input.memberId);
  return result;
}

/** What the member reads of a credit adjustment ("3 class credits added by Sam: goodwill"); the reason is at most 300 characters. */
export const creditsText = (amount: number, by: string, reason: string): string =>
  `${Math.abs(amount)} class credit${Math.abs(amount) === 1 ? "" : "s"} ${amount > 0 ? "added" : "taken away"} by ${by.slice(0, 80)}: ${reason.slice(0, 300)}`;

/** Adds or takes away credits with a reason; never below 0. The member is told. */
export async function adjustCredits(ports: AdminPorts, actor: AdminActor, input: { memberId: string; amount: number; reason: string }) {
  const result = await ports.store.transaction(actor, "gym:adjustCredits", async (tx) => {
    const member = await tx.member(actor.gymId, input.memberId, true);
    if (!member) return null;
    const refused = checkAdjustment(member, input.amount);
    if (refused) throw refused;
    const credits = await tx.moveCredits(
      actor.gymId,
      { memberId: input.memberId, amount: input.amount, kind: "adjustment", actorId: actor.userId, reason: input.reason, ref: null },
      actor.now,
    );
    // The row is locked, so the guard only refuses what checkAdjustment would have: kept as the last line of defence.
    if (credits === null) throw new DomainError("NO_CREDITS", "That would take the member below 0 credits.");
    tx.audit({
      action: "gym:adjustCredits",
      entityType: "member",
      entityId: input.memberId,
      before: { credits: member.credits },
      after: { credits, amount: input.amount },
    });
    // The member is told in words, in this commit: how many, by whom (staff's first name), and why.
    const by = (await tx.memberProfile(actor.gymId, actor.userId))?.name.split(" ")[0] || "the gym";
    await ports.notices.notify(
      [input.memberId],
      { kind: "membership", gymId: actor.gymId, text: creditsText(input.amount, by, input.reason) },
      tx.notices,
    );
    return { credits };
  });
  if (result && !(result instanceof DomainError)) ports.notes.memberChanged(actor.gymId, input.memberId);
  return result;
}
