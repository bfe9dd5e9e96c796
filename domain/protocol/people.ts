/**
 * People requests of issue 18 beyond members: the gym's staff (list, deactivate), overrides of fees, the coach's
 * roster walk-in and waiver reminders, on room `gym:<gymId>`. See docs/domain.md "Policies" (overrides) and
 * docs/protocol.md.
 */
import { z } from "zod";
import { Id } from "./fields.js";
import { DocumentKey, NewPerson } from "./waivers.js";
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
  /**
   * Staff: remind members who haven't signed the version in force of a document (`document`, default "waiver") →
   * `{ reminded, skipped }`: each gets a notice in words naming the version. Everyone unsigned (at most 500) or the members named; a member is reminded at most once
   * a day, the rest are skipped (audited).
   */
  "gym:remindWaiver": z.strictObject({ memberIds: z.array(Id).min(1).max(500).optional(), document: DocumentKey.optional() }),
  /**
   * Owners, admins, front desk: what the desk shows beside a check-in → `{ memberId, name, status, photoUpdatedAt, plan:
   * { name, kind } | null, credits, creditsExpireAt, owedCents, currency, alerts: [{ kind, text }] }`; alerts are
   * `waiver_missing`, `frozen`, `owes`, `injury`, `pack_low`, `birthday` (docs/domain.md "At the desk"). Audited like a profile.
   */
  "gym:deskCard": z.strictObject({ memberId: Id }),
  /**
   * Staff, from a class roster: book someone into the class (the waitlist when it is full) and check them in in one
   * step → `{ memberId, booking: { status, … }, checkIn: { status, … } | null }`. Either a member (`memberId`) or a
   * new person added on the spot (`newPerson`, tagged `walk-in`, same duplicate rules as `gym:addMember`), optionally
   * given a drop-in or trial plan (`planId`: credits sold as an open sale the desk collects). A retry answers the same.
   * @example { sessionId, newPerson: { name: "Jo Walker", email: "jo@example.com" }, planId }
   */
  "gym:rosterWalkIn": z
    .strictObject({ sessionId: Id, memberId: Id.optional(), newPerson: NewPerson.optional(), planId: Id.optional() })
    .refine((p) => (p.memberId === undefined) !== (p.newPerson === undefined), {
      message: "Pick a member or add a new person",
      path: ["memberId"],
    }),
} as const;
