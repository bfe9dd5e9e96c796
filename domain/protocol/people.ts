/**
 * People requests of issue 18 beyond members: the gym's staff (list, deactivate), overrides of fees, the coach's
 * roster walk-in and waiver reminders, on room `gym:<gymId>`. See docs/domain.md "Policies" (overrides) and
 * docs/protocol.md.
 */
import { z } from "zod";
import { Id } from "./fields.js";
import { storableText } from "./text.js";

/** Why staff override a rule: told to the member in words and kept on the record (never in the audit trail). */
export const OverrideReason = storableText({ min: 1, max: 300, required: "Say why" });

export const PeopleSchemas = {
  /**
   * Owners and admins: the gym's staff, by role then name → `{ staff: [{ memberId, name, email, role, status }] }`
   * (at most 500; an audited read of people's addresses).
   */
  "gym:staff": z.strictObject({}),
  /**
   * Owners and admins: someone leaves the staff → `{ memberId, status: "cancelled", ended }`. Their membership is
   * cancelled, every session and token ends and their live streams stop on every node at once (audited). Only an
   * owner deactivates an owner; nobody themself.
   */
  "gym:deactivateStaff": z.strictObject({ memberId: Id }),
} as const;
