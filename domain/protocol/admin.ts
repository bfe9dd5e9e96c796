/**
 * Gym administration requests: plans, packs, the credit ledger and money owed (issue 18). Sent with the
 * `command` event on room `gym:<gymId>`, answered without a room actor. Every write is audited in its own
 * transaction and idempotent by `commandId` (a retry answers the first result).
 */
import { z } from "zod";
import { PaymentMethods } from "../admin/charges.js";
import { BillingPeriods, PlanKinds } from "../admin/plans.js";
import { Id, LocalDate } from "./fields.js";
import { MemberAdminSchemas } from "./members.js";
import { WaiverSchemas } from "./waivers.js";
import { storableText } from "./text.js";

const Cents = z.int().min(0).max(100_000_00);

/**
 * A plan definition (docs/domain.md "Plans, packs and the ledger"). `classTypeIds` empty = every class type.
 * @example { name: "10-class pack", kind: "pack", priceCents: 12000, billingPeriod: "once", credits: 10, validDays: 90, weeklyTarget: 2, classTypeIds: [] }
 */
export const PlanDefinitionSchema = z.strictObject({
  name: storableText({ min: 1, max: 120, required: "Required" }),
  kind: z.enum(PlanKinds),
  priceCents: Cents,
  billingPeriod: z.enum(BillingPeriods),
  classesPerWeek: z.int().min(1).max(50).optional(),
  credits: z.int().min(1).max(1_000).optional(),
  validDays: z.int().min(1).max(3_660).optional(),
  weeklyTarget: z.int().min(0).max(50),
  classTypeIds: z.array(Id).max(100),
});

export const AdminSchemas = {
  /** Staff: the gym's plans (archived ones too, marked) → `{ plans: [{ planId, name, kind, priceCents, billingPeriod, entitlement, weeklyTarget, classTypeIds, archived }] }`. */
  "gym:plans": z.strictObject({}),
  /**
   * Owners and admins: create a plan (no `planId`) or change one → `{ planId }`. Members on it are decided on the new
   * terms from their next tap, on every node. `archived: true` hides it from sale; members keep it.
   */
  "gym:savePlan": PlanDefinitionSchema.extend({ planId: Id.optional(), archived: z.boolean().optional() }),
  /**
   * Owners and admins: put a member on a plan from `startsOn` (default today) until `endsOn` (optional), at the plan's
   * price or `priceCents` → `{ assignmentId, credits }`. A credit plan adds its credits (a `sale` ledger entry); a price
   * above 0 opens a `dues` charge.
   */
  "gym:assignPlan": z.strictObject({
    memberId: Id,
    planId: Id,
    startsOn: LocalDate.optional(),
    endsOn: LocalDate.optional(),
    priceCents: Cents.optional(),
  }),
  /**
   * Staff but coaches: sell a pack, drop-in or trial with credits at the desk → `{ credits, creditsExpireAt, chargeId }`;
   * `paid` records the payment at once, otherwise the sale stays open in the member's account.
   */
  "gym:sellPack": z.strictObject({
    memberId: Id,
    planId: Id,
    paid: z.strictObject({ method: z.enum(PaymentMethods), reference: storableText({ max: 120 }).optional() }).optional(),
  }),
  /** Owners and admins: add (+) or take away (−) credits, with a reason → `{ credits }`. Never below 0 (`NO_CREDITS`). */
  "gym:adjustCredits": z.strictObject({
    memberId: Id,
    amount: z
      .int()
      .min(-1_000)
      .max(1_000)
      .refine((n) => n !== 0, "Say how many credits to add (+) or take away (−)"),
    reason: storableText({ min: 1, max: 300, required: "Say why" }),
  }),
  /** Staff but coaches: a member's credits, plan, ledger (newest 100) and charges (newest 100), with the amount owed. */
  "gym:memberAccount": z.strictObject({ memberId: Id }),
  /** Staff but coaches: record the payment of an open charge → the charge, `paid`. Settled already: `CHARGE_SETTLED`. */
  "gym:recordPayment": z.strictObject({ chargeId: Id, method: z.enum(PaymentMethods), reference: storableText({ max: 120 }).optional() }),
  /** Owners and admins: waive an open charge with a reason → the charge, `waived`. */
  "gym:waiveCharge": z.strictObject({ chargeId: Id, reason: storableText({ min: 1, max: 300, required: "Say why" }) }),
  /**
   * Owners and admins: give back the money of a paid charge with a reason → the refund (a charge of kind `refund`,
   * minus the amount, `refundOf` the paid one). Refunded already: `CHARGE_REFUNDED`; not paid: `CHARGE_NOT_PAID`.
   */
  "gym:refundCharge": z.strictObject({ chargeId: Id, reason: storableText({ min: 1, max: 300, required: "Say why" }) }),
  ...MemberAdminSchemas,
  ...WaiverSchemas,
} as const;

export type AdminRequestType = keyof typeof AdminSchemas;
export type AdminPayload<T extends AdminRequestType> = z.output<(typeof AdminSchemas)[T]>;
