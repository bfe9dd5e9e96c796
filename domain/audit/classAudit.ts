/**
 * Audit drafts for one class-room commit, from the state before it and its events.
 *
 * A commit is a group of commands (and room timer ticks) whose events arrive as one list, so an event
 * is attributed to a command only when the command's ack names the entity (`bookingId`, `entryId`,
 * `checkInId`, …), or is a fee or credit change of a booking it names; every other change (automatic
 * promotions, fees, offer expiry, no-shows at close) is written as the system's. Each command gets at
 * least one row (its class session when its ack names nothing that changed).
 */
import type { ClassStateEvent } from "../class/events.js";
import type { ClassState } from "../class/state.js";
import type { Booking, ClassSession, Fee, WaitlistEntry } from "../model.js";
import type { ClassWorkout, WorkoutResult } from "../workouts/classBoard.js";
import type { AuditDraft } from "./chain.js";

/** A command of the commit, as the room answered it. */
export interface AuditCommand {
  userId: string;
  commandId: string;
  type: string;
  /** The ack's result (ids of what it acted on). */
  result: unknown;
  at: number;
}

interface Change {
  entityType: string;
  entityId: string;
  memberId: string | null;
  bookingId: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

const bookingView = (b: Booking) => ({ memberId: b.memberId, status: b.status });
const entryView = (e: WaitlistEntry) => ({ memberId: e.memberId, status: e.status, position: e.position });
/** What the audit records of a session. */
export const sessionView = (s: ClassSession) => ({
  capacity: s.capacity,
  status: s.status,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  coachId: s.coachId,
  locationId: s.locationId,
});
const workoutView = (w: ClassWorkout) => ({ title: w.title, scoreType: w.scoreType, divisions: w.divisions });
const resultView = (r: WorkoutResult) => ({ memberId: r.memberId, division: r.division, score: r.score });
const feeView = (f: Fee) => ({
  memberId: f.memberId,
  bookingId: f.bookingId,
  kind: f.kind,
  amountCents: f.amountCents,
  currency: f.currency,
  waived: f.waived,
});

/** Entity changes of the commit in first-touch order, each with its state before the commit and after it. */
export function classChanges(base: ClassState, events: readonly ClassStateEvent[]): Change[] {
  const changes = new Map<string, Change>();
  const touch = (
    entityType: string,
    entityId: string,
    action: string,
    before: () => unknown,
    after: unknown,
    memberId: string | null,
    bookingId: string | null = null,
  ) => {
    const key = `${entityType}:${entityId}`;
    const known = changes.get(key);
    if (known) Object.assign(known, { action, after });
    else changes.set(key, { entityType, entityId, memberId, bookingId, action, before: before(), after });
  };
  const credits = new Map(Object.values(base.members).map((m) => [m.memberId, m.credits]));
  for (const e of events) {
    switch (e.type) {
      case "booking.created":
      case "booking.updated": {
        const prev = base.bookings.find((b) => b.id === e.booking.id);
        touch(
          "booking",
          e.booking.id,
          e.type,
          () => (prev ? bookingView(prev) : null),
          bookingView(e.booking),
          e.booking.memberId,
          e.booking.id,
        );
        break;
      }
      case "waitlist.updated":
        for (const entry of e.entries) {
          const prev = base.waitlist.find((w) => w.id === entry.id);
          touch("waitlist_entry", entry.id, e.type, () => (prev ? entryView(prev) : null), entryView(entry), entry.memberId);
        }
        break;
      case "session.updated":
        touch("class_session", e.session.id, e.type, () => sessionView(base.session), sessionView(e.session), null);
        break;
      case "fee.charged":
      case "fee.waived":
        touch(
          "fee",
          e.fee.id,
          e.type,
          () => null,
          feeView({ ...e.fee, waived: e.type === "fee.waived" || e.fee.waived }),
          e.fee.memberId,
          e.fee.bookingId,
        );
        break;
      case "checkin.recorded": {
        const c = e.checkIn;
        touch(
          "check_in",
          c.id,
          e.type,
          () => null,
          { memberId: c.memberId, result: c.result, reason: c.reason, source: c.source, ...(c.override ? { override: c.override } : {}) },
          c.memberId,
          null,
        );
        break;
      }
      case "attendance.recorded":
        touch("attendance", e.attendance.id, e.type, () => null, { memberId: e.attendance.memberId }, e.attendance.memberId);
        break;
      case "attendance.removed": {
        const prev = base.attendance.find((a) => a.id === e.attendanceId);
        touch("attendance", e.attendanceId, e.type, () => (prev ? { memberId: prev.memberId } : null), null, prev?.memberId ?? null);
        break;
      }
      case "workout.set": {
        const prev = base.board.workout;
        touch("class_workout", e.workout.id, e.type, () => (prev ? workoutView(prev) : null), workoutView(e.workout), null);
        break;
      }
      case "result.logged": {
        const prev = base.board.results.find((r) => r.id === e.result.id);
        touch("workout_result", e.result.id, e.type, () => (prev ? resultView(prev) : null), resultView(e.result), e.result.memberId);
        break;
      }
      case "standing.updated":
        // A reload, not a change: later credit changes start from it.
        credits.set(e.standing.memberId, e.standing.credits);
        break;
      case "credits.changed": {
        const before = credits.get(e.memberId) ?? null;
        touch("membership", e.memberId, e.type, () => ({ credits: before }), { credits: e.credits }, e.memberId);
        credits.set(e.memberId, e.credits);
        break;
      }
    }
  }
  return [...changes.values()];
}

/** Waitlist renumbering alone is a consequence of another row's change; not worth a row of its own. */
function isNoise(c: Change): boolean {
  if (c.entityType !== "waitlist_entry" || c.before === null || c.after === null) return false;
  return (c.before as { status: string }).status === (c.after as { status: string }).status;
}

/** Commands on the class itself: their row is the session's change. */
const SessionCommands = new Set(["class:setCapacity", "class:cancel", "class:close", "class:updateSession"]);

function idsIn(result: unknown): Set<string> {
  const ids = new Set<string>();
  if (result && typeof result === "object") for (const v of Object.values(result)) if (typeof v === "string") ids.add(v);
  return ids;
}

/**
 * The audit drafts of one class commit: the commands' rows (in command order), then the system's.
 * `role` is null on command rows (the writer fills in the actor's role) and "system" otherwise.
 */
export function classAuditDrafts(
  base: ClassState,
  events: readonly ClassStateEvent[],
  commands: readonly AuditCommand[],
  ctx: { now: number; newId: () => string },
): AuditDraft[] {
  const changes = classChanges(base, events);
  const claimed = new Set<Change>();
  const drafts: AuditDraft[] = [];
  const row = (c: Change, by: AuditCommand | null): AuditDraft => ({
    id: ctx.newId(),
    at: by?.at ?? ctx.now,
    actorId: by?.userId ?? null,
    role: by ? null : "system",
    action: by?.type ?? c.action,
    entityType: c.entityType,
    entityId: c.entityId,
    summary: { before: c.before, after: c.after },
    commandId: by?.commandId ?? null,
  });
  for (const cmd of commands) {
    const ids = idsIn(cmd.result);
    let mine = changes.filter((c) => !claimed.has(c) && ids.has(c.entityId));
    if (mine.length === 0) {
      const own = SessionCommands.has(cmd.type)
        ? (c: Change) => c.entityType === "class_session"
        : (c: Change) => !isNoise(c) && c.memberId === cmd.userId;
      mine = changes.filter((c) => !claimed.has(c) && own(c)).slice(0, 1);
    }
    const bookings = new Set(mine.filter((c) => c.entityType === "booking").map((c) => c.entityId));
    const members = new Set(mine.filter((c) => c.entityType === "booking").map((c) => c.memberId));
    mine.push(
      ...changes.filter(
        (c) =>
          !claimed.has(c) &&
          !mine.includes(c) &&
          ((c.entityType === "fee" && bookings.has(c.bookingId ?? "")) || (c.entityType === "membership" && members.has(c.entityId))),
      ),
    );
    for (const c of mine) claimed.add(c);
    if (mine.length === 0) {
      const s = sessionView(base.session);
      drafts.push(
        row(
          {
            entityType: "class_session",
            entityId: base.session.id,
            memberId: null,
            bookingId: null,
            action: cmd.type,
            before: s,
            after: s,
          },
          cmd,
        ),
      );
    }
    for (const c of mine) drafts.push(row(c, cmd));
  }
  for (const c of changes) if (!claimed.has(c) && !isNoise(c)) drafts.push(row(c, null));
  return drafts;
}
