import { z } from "zod";

const Id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID");

/**
 * Read-only requests sent with the `command` event (same envelope and ack) but answered from the
 * database without going through a room actor. `gym:*` go to room `gym:<gymId>`, `user:*` to `user:<me>`.
 */
export const QuerySchemas = {
  /** Who am I in this gym: `{ userId, name, role, gymId, gymName }`. */
  "gym:me": z.strictObject({}),
  /** Staff: members whose name, email or phone contains `q` (max 25). */
  "gym:searchMembers": z.strictObject({ q: z.string().trim().max(100) }),
  /** Staff: one member's profile (front desk sees no fees or plans). */
  "gym:memberProfile": z.strictObject({ memberId: Id }),
  /** Staff: checked-in and booked counts per local day for the last `days` days. */
  "gym:attendanceSeries": z.strictObject({ days: z.int().min(1).max(90) }),
  /**
   * Owners and admins: the gym's audit trail, newest first — `{ rows, nextBeforeSeq }`. `limit` 1–200 (default 50);
   * pass the answer's `nextBeforeSeq` as `beforeSeq` for the page before; `action` (`class:book`) and `actorId` filter.
   * @example { limit: 50, action: "class:setCapacity" }
   */
  "gym:auditLog": z.strictObject({
    limit: z.int().min(1).max(200).optional(),
    beforeSeq: z.int().min(1).optional(),
    action: z.string().trim().min(1).max(64).optional(),
    actorId: Id.optional(),
  }),
  /** My account across gyms, streak, adherence and credits. */
  "user:me": z.strictObject({}),
  /** A fresh signed check-in code for the desk scanner. */
  "user:checkInCode": z.strictObject({}),
  /** My private calendar feed URL. */
  "user:icalLink": z.strictObject({}),
  /** Revoke my calendar feed URL and get a new one. */
  "user:revokeIcal": z.strictObject({}),
  /** Whether other members see my first name on rosters. */
  "user:setVisibility": z.strictObject({ visible: z.boolean() }),
} as const;

export type QueryType = keyof typeof QuerySchemas;
