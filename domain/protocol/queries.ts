import { z } from "zod";
import { MembershipStatuses, Roles } from "../model.js";
import { ConsentKinds } from "../privacy.js";
import { AdminSchemas } from "./admin.js";
import { PeopleSchemas } from "./people.js";
import { LeadSchemas } from "./leads.js";
import { SegmentSchemas } from "./segments.js";
import { ReportSchemas } from "./reports.js";
import { ChallengeRefSchema, CreateChallengeSchema, LeaderboardSchema, ReviewSubmissionSchema } from "./challenges.js";
import { Id as IdField } from "./fields.js";
import { InboxQuerySchemas, NoticeStaffSchemas } from "./inbox.js";
import { storableText } from "./text.js";
import { WorkoutLogSchema } from "./workouts.js";

const Id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID");

/**
 * Read-only requests sent with the `command` event (same envelope and ack) but answered from the
 * database without going through a room actor. `gym:*` go to room `gym:<gymId>`, `user:*` to `user:<me>`.
 */
export const QuerySchemas = {
  /** Who am I in this gym: `{ userId, name, role, gymId, gymName, timeZone, currency, requiredConsents, policy }` (policy versions to accept before booking; the gym's booking, fee and check-in settings). */
  "gym:me": z.strictObject({}),
  /** Staff: members whose name, email or phone contains `q` (max 25). */
  "gym:searchMembers": z.strictObject({ q: storableText({ max: 100 }) }),
  /** Staff: one member's profile (front desk sees no fees or plans). */
  "gym:memberProfile": z.strictObject({ memberId: Id }),
  /** Staff: checked-in and booked counts per local day for the last `days` days. */
  "gym:attendanceSeries": z.strictObject({ days: z.int().min(1).max(90) }),
  /**
   * Owners and admins: the gym's audit trail across its rooms, newest first — `{ rows, nextBeforeSeq }`. A row's `seq`
   * is its place in the gym's trail (rising, with gaps). `limit` 1–200 (default 50); pass the answer's `nextBeforeSeq`
   * as `beforeSeq` for the page before; `action` (`class:book`) and `actorId` filter.
   * @example { limit: 50, action: "class:setCapacity" }
   */
  "gym:auditLog": z.strictObject({
    limit: z.int().min(1).max(200).optional(),
    beforeSeq: z.int().min(1).optional(),
    action: storableText({ min: 1, max: 64 }).optional(),
    actorId: Id.optional(),
  }),
  /**
   * Owners and admins: approve a member's deletion request — their name, email, phone and notes are anonymized,
   * bookings, check-ins and fees stay as anonymous records. Refused with `LEGAL_HOLD` while a gym holds their data;
   * approving again answers `{ alreadyDone: true }`.
   */
  "gym:approveDeletion": z.strictObject({ memberId: Id }),
  /**
   * Owners and admins: set (`hold: true`, with a reason) or lift a legal hold on a member's data; while set, deletion is refused.
   * @example { memberId, hold: true, reason: "Open payment dispute" }
   */
  "gym:setLegalHold": z
    .strictObject({ memberId: Id, hold: z.boolean(), reason: storableText({ max: 500 }) })
    .refine((p) => !p.hold || p.reason.length > 0, {
      message: "Say why the data is held",
      path: ["reason"],
    }),
  /**
   * Owners and admins: change someone's role or status in this gym (`status: "frozen"` suspends, `"cancelled"` ends it) →
   * `{ memberId, role, status, changed }`. Their live rooms and feed follow at once, on every server. Only an owner
   * touches an owner's membership or makes an owner; nobody changes their own.
   * @example { memberId, role: "member" }
   */
  "gym:setMembership": z
    .strictObject({ memberId: Id, role: z.enum(Roles).optional(), status: z.enum(MembershipStatuses).optional() })
    .refine((p) => p.role !== undefined || p.status !== undefined, { message: "Say what to change: role or status", path: ["role"] }),
  /**
   * Gym leaderboards (week or month, gym zone): attendance, volume or a benchmark class workout —
   * `{ board, period: { from, to }, total, entries: [{ rank, name, value, memberId? }], me }`; members see first names of visible members only.
   */
  "gym:leaderboard": LeaderboardSchema,
  /** Staff (owner, admin, coach): create a challenge → `{ challengeId }`. */
  "gym:createChallenge": CreateChallengeSchema,
  /** The gym's challenges that haven't ended (and those ended in the last 30 days) with my progress; staff also get held submissions. */
  "gym:challenges": z.strictObject({}),
  /** Join a challenge before its end (again after leaving) → `{ challengeId, status, progress }`. */
  "gym:joinChallenge": ChallengeRefSchema,
  /** Leave a challenge before its end → `{ challengeId, status: "left" }`. */
  "gym:leaveChallenge": ChallengeRefSchema,
  /** Staff (owner, admin, coach): approve or reject a held challenge submission → `{ submissionId, status, progress, completed }`. */
  "gym:reviewSubmission": ReviewSubmissionSchema,
  /**
   * Log a free workout in one of my gyms: all of it (workout, exercises, sets) or nothing. Answers
   * `{ workoutId, prs: [{ exercise, set, movement, kind, value, previous }], xp, totalXp, streak, bestStreak, volumeKg, challenges: [{ challengeId, title, amount, status: "counted" | "held", completed }] }`; a retry with the same commandId answers the first result.
   * @example { gymId, title: "Leg day", exercises: [{ movement: "Back squat", sets: [{ reps: 5, grams: 100_000 }] }] }
   */
  "user:logWorkout": WorkoutLogSchema.extend({ gymId: IdField }),
  /** My account across gyms, streak, adherence and credits; `training: { xp, workouts, streak, bestStreak } | null` (active-day streak: classes or logged workouts) in my first gym. */
  "user:me": z.strictObject({}),
  /** A fresh signed check-in code for the desk scanner. */
  "user:checkInCode": z.strictObject({}),
  /** My private calendar feed URL. */
  "user:icalLink": z.strictObject({}),
  /** Revoke my calendar feed URL and get a new one. */
  "user:revokeIcal": z.strictObject({}),
  /** Everything Spotter stores about me, as JSON (also `GET /api/me/export.json` with a bearer token). */
  "user:exportData": z.strictObject({}),
  /** Ask for my personal data to be deleted; staff approve it. Asking again answers the first request. */
  "user:requestDeletion": z.strictObject({}),
  /**
   * Accept a policy version (insert-only record). Booking needs the gym's current terms and privacy versions.
   * @example { kind: "terms", version: "2026-01" }
   */
  "user:consent": z.strictObject({ kind: z.enum(ConsentKinds), version: storableText({ min: 1, max: 40 }) }),
  /** Staff: the desk screen's presence code for member self check-in — `{ selfCheckIn, code, changesAt, validUntil }` (6 digits, new every 30 s). */
  "gym:presenceCode": z.strictObject({}),
  /** Staff: what the front desk keeps on the device to decide check-ins offline (`DeskSnapshot`: members, today's and tomorrow's rosters, rules, code keys). Audited. */
  "gym:deskSnapshot": z.strictObject({}),
  /** Owners and admins: let members check themselves in to booked classes with the desk's presence code (off by default) → `{ selfCheckIn }`. */
  "gym:setSelfCheckIn": z.strictObject({ enabled: z.boolean() }),
  /** End every session of mine on every device: each token issued until now stops working, open connections close → `{ signedOutAt }`. */
  "user:signOutEverywhere": z.strictObject({}),
  /** "Where I'm signed in": my live sessions → `{ sessions: [{ sessionId, device, method, createdAt, lastSeenAt }] }`, most recent first. */
  "user:sessions": z.strictObject({}),
  /** Sign out one of my sessions (its sockets close on every node within a second) → `{ ended }`. */
  "user:endSession": z.strictObject({ sessionId: Id }),
  /** Owners and admins: end every session of a staff member of this gym (a lost tablet, someone leaving) → `{ ended }` (audited). */
  "gym:endStaffSessions": z.strictObject({ memberId: Id }),
  /**
   * Owners and admins: invite someone by email with a role; they get a single-use link valid 7 days → `{ invitationId, expiresAt }` (audited).
   * Only an owner invites an owner. @example { email: "sam@example.com", role: "coach" }
   */
  "gym:invite": z.strictObject({ email: z.string().trim().toLowerCase().max(320).email("must be an email address"), role: z.enum(Roles) }),
  /**
   * Owners and admins: the gym's invitations, newest first (max 100) → `{ invitations: [{ invitationId, email, role, state, createdAt, expiresAt, mail }] }`;
   * `mail` is its delivery state (`{ status: queued|sent|failed, attempts, lastError, sentAt, nextAttemptAt }`) or null.
   */
  "gym:invitations": z.strictObject({}),
  /** Owners and admins: withdraw an open invitation (its link stops working) → `{ revoked }` (audited). */
  "gym:revokeInvitation": z.strictObject({ invitationId: Id }),
  /** Owners and admins: the state of the gym's outgoing mail (queued, sent, failed, last error), newest first — never its content. */
  "gym:mailOutbox": z.strictObject({}),
  /** Whether other members see my first name on rosters. */
  "user:setVisibility": z.strictObject({ visible: z.boolean() }),
  ...AdminSchemas,
  ...PeopleSchemas,
  ...LeadSchemas,
  ...SegmentSchemas,
  ...ReportSchemas,
  ...InboxQuerySchemas,
  ...NoticeStaffSchemas,
} as const;

export type QueryType = keyof typeof QuerySchemas;
/** The parsed payload of a request. */
export type QueryPayload<T extends QueryType> = z.output<(typeof QuerySchemas)[T]>;
