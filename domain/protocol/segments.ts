/**
 * Segments and bulk actions (issue 22) on room `gym:<gymId>`: saved filters over members, previewed with a count
 * before any bulk action ("this will tag 143 members"), computed in SQL. Owners, admins and the front desk; a filter on
 * money owed is for owners and admins. Every change is audited; previews and exports are audited staff reads.
 */
import { z } from "zod";
import { MembershipStatuses } from "../model.js";
import { Id, LocalDate } from "./fields.js";
import { storableText } from "./text.js";

const Days = z.int().min(1).max(730);

/** A segment's filter (docs/domain.md "Segments"). @example { statuses: ["active"], noVisitDays: 14 } */
export const SegmentFilterSchema = z
  .strictObject({
    planIds: z.array(Id).max(50).optional(),
    statuses: z.array(z.enum(MembershipStatuses)).max(5).optional(),
    tags: z
      .array(storableText({ min: 1, max: 40 }))
      .max(20)
      .optional(),
    noVisitDays: Days.optional(),
    visits: z
      .strictObject({ days: Days, min: z.int().min(0).max(10_000).optional(), max: z.int().min(0).max(10_000).optional() })
      .optional(),
    feesOwed: z.boolean().optional(),
    trialEndedNotConverted: z.boolean().optional(),
    birthdayThisWeek: z.boolean().optional(),
    streakBroken: z.boolean().optional(),
    adherenceBelowTarget: z.boolean().optional(),
    waiverMissing: z.boolean().optional(),
  })
  .refine((f) => !f.visits || f.visits.min !== undefined || f.visits.max !== undefined, {
    message: "Say at least or at most how many visits",
    path: ["visits"],
  })
  .refine((f) => !f.visits || f.visits.min === undefined || f.visits.max === undefined || f.visits.min <= f.visits.max, {
    message: "The minimum is above the maximum",
    path: ["visits"],
  });

/** Bulk messages one gym may send in an hour (a mistake repeated is not a flood of notices). */
export const SegmentMessagesPerHour = 5;

const Tag = storableText({ min: 1, max: 40, required: "Name the tag" });

export const SegmentSchemas = {
  /** The gym's saved segments → `{ segments: [{ segmentId, name, filter, description }] }`. */
  "gym:segments": z.strictObject({}),
  /** Save a segment (no `segmentId`: a new one) → `{ segmentId }`. */
  "gym:saveSegment": z.strictObject({
    segmentId: Id.optional(),
    name: storableText({ min: 1, max: 120, required: "Name the segment" }),
    filter: SegmentFilterSchema,
  }),
  /** Delete a saved segment → `{ deleted }`. */
  "gym:deleteSegment": z.strictObject({ segmentId: Id }),
  /**
   * Who a filter finds, now → `{ count, description, members: [{ memberId, name, email, status, plan, lastVisitAt }] }`
   * (the first 50 by name). The count is what a bulk action then promises to touch.
   */
  "gym:previewSegment": z.strictObject({ filter: SegmentFilterSchema }),
  /**
   * Tag or untag everyone a filter finds → `{ changed }`. `expectedCount` is the preview's count: when the segment has
   * changed since, nothing happens and the answer is `CONFLICT` with the new count (preview again).
   * @example { filter: { noVisitDays: 14 }, action: "tag", tag: "win-back", expectedCount: 143 }
   */
  "gym:segmentAction": z.strictObject({
    filter: SegmentFilterSchema,
    action: z.enum(["tag", "untag"]),
    tag: Tag,
    expectedCount: z.int().min(0).max(1_000_000),
  }),
  /**
   * Freeze everyone a filter finds from today until `until` (a gym date), with a reason, each as `gym:freezeMember`
   * would (bookings inside the freeze cancelled without a fee, each freeze audited) → `{ frozen, skipped: [{ memberId,
   * reason }] }`. Guarded by the previewed `expectedCount` like the tag actions; at most 100 members at once.
   */
  "gym:segmentFreeze": z.strictObject({
    filter: SegmentFilterSchema,
    until: LocalDate,
    reason: storableText({ min: 1, max: 300, required: "Say why" }),
    expectedCount: z.int().min(0).max(1_000_000),
  }),
  /**
   * Message everyone a filter finds through the notification channels (an inbox notice of kind `message` each; push
   * and email as each member's preferences say) → `{ sent }`. Guarded by the previewed `expectedCount` like the tag
   * actions; at most 5,000 members per message and {@link SegmentMessagesPerHour} messages per gym an hour.
   * @example { filter: { noVisitDays: 14 }, text: "We miss you — come to open gym on Saturday", expectedCount: 143 }
   */
  "gym:segmentMessage": z.strictObject({
    filter: SegmentFilterSchema,
    text: storableText({ min: 1, max: 500, required: "Write the message" }),
    expectedCount: z.int().min(0).max(1_000_000),
  }),
  /** Everyone a filter finds as CSV (name, email, phone, status, plan, last visit) → `{ name, csv, rows }`. */
  "gym:exportSegment": z.strictObject({ filter: SegmentFilterSchema }),
} as const;
