/**
 * Member administration requests (issue 18 item 2), on room `gym:<gymId>`; registered with the other admin
 * requests in `admin.ts`.
 */
import { z } from "zod";
import { Id, LocalDate, Minutes, PromotionModeField } from "./fields.js";
import { storableText } from "./text.js";
import { WaiverEnforcements } from "../admin/waivers.js";

const Tags = z.array(storableText({ min: 1, max: 40, required: "Empty tag" })).max(20);
const Profile = {
  name: storableText({ min: 1, max: 200, required: "Required" }),
  phone: storableText({ max: 40 }).optional(),
  birthday: LocalDate.optional(),
  emergencyContact: storableText({ max: 200 }).optional(),
  notes: storableText({ max: 2_000 }).optional(),
  tags: Tags.optional(),
};
const { tags: _tags, ...Details } = Profile;

/** The settings a change may name (`domain/admin/settings.ts` PolicySettings); absent ones stay as they are. */
const PolicyChange = z.strictObject({
  lateCancelFeeCents: z.int().min(0).max(100_000).optional(),
  noShowFeeCents: z.int().min(0).max(100_000).optional(),
  promotionMode: PromotionModeField.optional(),
  offerClaimMinutes: z
    .int()
    .min(5)
    .max(24 * 60)
    .optional(),
  bookingOpensMinutes: Minutes.optional(),
  bookingClosesMinutes: Minutes.optional(),
  lateCancelMinutes: Minutes.optional(),
  autoPromoteCutoffMinutes: Minutes.optional(),
  checkInOpensMinutes: z
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  checkInClosesMinutes: z
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  waitlistLimit: z.int().min(0).max(1_000).optional(),
  waiverRequired: z.enum(WaiverEnforcements).optional(),
});

export const MemberAdminSchemas = {
  /**
   * Owners, admins, front desk: add a member (active) → `{ memberId }`. Someone of this gym with the same email or phone
   * is refused with `DUPLICATE_MEMBER` naming them, unless `allowDuplicate` (same phone only; an email is one person).
   * @example { name: "Ana Silva", email: "ana@example.com", phone: "+49 170 1234567", tags: ["trial"] }
   */
  "gym:addMember": z.strictObject({
    ...Profile,
    email: z.string().trim().toLowerCase().pipe(z.email("Check the email address").max(320)),
    allowDuplicate: z.boolean().optional(),
  }),
  /**
   * Owners, admins, front desk: change a member's details → `{ memberId }`; absent fields stay as they are. Tags are
   * not a field here: they change by `gym:tagMember` steps, so two staff editing at once keep each other's tag.
   */
  "gym:updateMember": z.strictObject({ memberId: Id, ...Details, name: Profile.name.optional() }),
  /**
   * Owners, admins, front desk: add and/or remove tags (without case; a tag already there is not doubled) →
   * `{ memberId, tags, changed }`. Applied to the tags as committed, so concurrent edits both stand; more than 20: `LIMIT_EXCEEDED`.
   * @example { memberId, add: ["competition team"], remove: ["trial"] }
   */
  "gym:tagMember": z
    .strictObject({ memberId: Id, add: Tags.optional(), remove: Tags.optional() })
    .refine((p) => (p.add?.length ?? 0) + (p.remove?.length ?? 0) > 0, { message: "Say which tag to add or remove", path: ["add"] }),
  /**
   * Owners and admins: reactivate a cancelled membership → `{ memberId, status: "active", planId, planEnded, chargeId }`.
   * Without `planId` it resumes with the plan and plan days it had (nothing sold or charged, credits as they were); a
   * plan that ended entitles nothing until one is assigned. With `planId` it starts that plan today as
   * `gym:assignPlan` would (first dues charged → `chargeId`, a pack's credits added) (docs/domain.md "Members").
   * Not cancelled, an unknown or archived plan: `VALIDATION_FAILED`.
   * @example { memberId, planId }
   */
  "gym:reactivateMember": z.strictObject({ memberId: Id, planId: Id.optional() }),
  /**
   * Owners, admins, front desk: freeze a membership from today until `until` (a gym date, inclusive), with a reason →
   * `{ memberId, status: "frozen", frozenUntil }`. Live rooms on every node refuse bookings and check-ins at once.
   */
  "gym:freezeMember": z.strictObject({ memberId: Id, until: LocalDate, reason: storableText({ min: 1, max: 300, required: "Say why" }) }),
  /** Owners, admins, front desk: end a freeze now → `{ memberId, status: "active" }`. */
  "gym:unfreezeMember": z.strictObject({ memberId: Id }),
  /**
   * Owners and admins: change gym settings → `{ policy, changed }`. Applies to classes scheduled from now on (scheduled
   * ones keep the settings they copied; staff edit a single class); every node's gym room takes it at once. Fees reach
   * every class not yet closed, the waiver default applies at once (`gym:previewPolicy` says so per setting).
   * @example { bookingOpensMinutes: 2880, lateCancelFeeCents: 700, waitlistLimit: 10 }
   */
  "gym:setPolicy": PolicyChange.refine((p) => Object.keys(p).length > 0, { message: "Say which setting to change", path: ["payload"] }),
  /**
   * Owners and admins: what a draft of the settings would change, before saving → `{ changes: [{ setting, scope,
   * classes, bookings, text }] }` (settings equal to the saved ones are left out; an empty draft answers no changes).
   * A draft that contradicts itself is refused as `gym:setPolicy` would refuse it. Changes nothing.
   * @example { lateCancelFeeCents: 700, bookingOpensMinutes: 2880 }
   */
  "gym:previewPolicy": PolicyChange,
} as const;
