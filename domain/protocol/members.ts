/**
 * Member administration requests (issue 18 item 2), on room `gym:<gymId>`; registered with the other admin
 * requests in `admin.ts`.
 */
import { z } from "zod";
import { Id, LocalDate } from "./fields.js";
import { storableText } from "./text.js";

const Tags = z.array(storableText({ min: 1, max: 40, required: "Empty tag" })).max(20);
const Profile = {
  name: storableText({ min: 1, max: 200, required: "Required" }),
  phone: storableText({ max: 40 }).optional(),
  birthday: LocalDate.optional(),
  emergencyContact: storableText({ max: 200 }).optional(),
  notes: storableText({ max: 2_000 }).optional(),
  tags: Tags.optional(),
};

export const MemberAdminSchemas = {
  /**
   * Owners, admins, front desk: add a member (active) → `{ memberId }`. Someone of this gym with the same email or phone
   * is refused with `DUPLICATE_MEMBER` naming them, unless `allowDuplicate` (same phone only; an email is one person).
   * @example { name: "Ana Silva", email: "ana@example.com", phone: "+49 170 1234567", tags: ["trial"] }
   */
  "gym:addMember": z.strictObject({ ...Profile, email: z.string().trim().toLowerCase().pipe(z.email("Check the email address").max(320)), allowDuplicate: z.boolean().optional() }),
  /** Owners, admins, front desk: change a member's details → `{ memberId }`; absent fields stay as they are. */
  "gym:updateMember": z.strictObject({ memberId: Id, ...Profile, name: Profile.name.optional() }),
  /**
   * Owners, admins, front desk: freeze a membership from today until `until` (a gym date, inclusive), with a reason →
   * `{ memberId, status: "frozen", frozenUntil }`. Live rooms on every node refuse bookings and check-ins at once.
   */
  "gym:freezeMember": z.strictObject({ memberId: Id, until: LocalDate, reason: storableText({ min: 1, max: 300, required: "Say why" }) }),
  /** Owners, admins, front desk: end a freeze now → `{ memberId, status: "active" }`. */
  "gym:unfreezeMember": z.strictObject({ memberId: Id }),
} as const;
