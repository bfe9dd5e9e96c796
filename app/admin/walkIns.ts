/**
 * Walk-ins (issue 18, "At the desk"): someone who isn't a member yet drops in. The desk adds them as a member tagged
 * `walk-in` (the same use case and duplicate rules as "Add member", audited), optionally as a drop-in or a trial (the
 * plan sold or assigned by the same use cases as at the desk, so a fee lands in their account as an open sale), and
 * checks them in through the gym room at once — the same decision as a scan, so an enforced waiver still stops them
 * until they sign or staff override. Into a class: `gym:rosterWalkIn` (app/admin/rosterWalkIns.ts).
 */
import { isCreditPlan } from "../../domain/admin/plans.js";
import { DomainError } from "../../domain/errors.js";
import { addMember } from "./members.js";
import { assignPlan, planView, sellPack } from "./plans.js";
import type { AdminActor, AdminPorts } from "./ports.js";

/** The tag a walk-in is added with, so staff can find drop-ins later. */
export const WalkInTag = "walk-in";

/** Someone added on the spot. */
export interface NewPerson {
  name: string;
  email: string;
  phone?: string | undefined;
}

/** A step's own command id, derived from the request's: each step is idempotent on its own. */
export const stepId = (ports: AdminPorts, actor: AdminActor, step: string) =>
  actor.commandId ? `${ports.hashText(`${actor.commandId}:${step}`).slice(0, 40)}` : null;

/**
 * Adds a new person as a walk-in and, with `planId`, gives them that drop-in or trial: credits sold (an open sale in
 * their account) or the plan assigned. The plan is checked before anyone is added. → the new member's id.
 */
export async function addWalkIn(ports: AdminPorts, actor: AdminActor, person: NewPerson, planId?: string | undefined) {
  const plan = planId ? await ports.store.read((tx) => tx.plan(actor.gymId, planId)) : null;
  if (planId && (!plan || plan.archived))
    return new DomainError("NOT_FOUND", "That plan doesn't exist here — pick another.", { fields: { planId: "Pick another plan" } });
  const kind = plan ? planView(plan).kind : null;
  if (plan && kind !== "drop_in" && kind !== "trial")
    return new DomainError("VALIDATION_FAILED", "Someone added on the spot gets a drop-in or a trial.", {
      fields: { planId: "Pick a drop-in or a trial" },
    });
  const added = await addMember(ports, actor, { name: person.name, email: person.email, phone: person.phone, tags: [WalkInTag] });
  if (added instanceof DomainError || !plan) return added;
  const step = { ...actor, commandId: stepId(ports, actor, "plan") };
  const given = isCreditPlan(planView(plan))
    ? await sellPack(ports, step, { memberId: added.memberId, planId: plan.id })
    : await assignPlan(ports, step, { memberId: added.memberId, planId: plan.id });
  return given instanceof DomainError ? given : added;
}

/** `gym:walkIn`: a new person added (with a drop-in or trial when asked) and checked in to open gym. */
export async function checkInWalkIn(ports: AdminPorts, actor: AdminActor, input: NewPerson & { planId?: string | undefined }) {
  const added = await addWalkIn(ports, actor, input, input.planId);
  if (added instanceof DomainError) return added;
  // A retry of the same command answers the first member; the gym room swallows a second scan within minutes.
  const checkIn = await ports.desk.checkIn(actor.userId, actor.gymId, added.memberId);
  return { memberId: added.memberId, checkIn: checkIn.ok ? checkIn.result : { status: "error", message: checkIn.error.message } };
}
