/**
 * Series edits (docs/domain.md "Series edits"): which classes a change touches and what it does to their bookings,
 * decided before anything is sent so staff see the effect first. Pure: sessions, counts, time zone and now are passed in.
 */
import type { ClassSession } from "../model.js";
import { localDate, zonedInstant } from "./timeZone.js";

/** A series change as the protocol carries it (`SeriesChangeSchema`). */
export type SeriesChange =
  | {
      action: "edit";
      sessionId: string;
      scope: "this" | "following";
      startTime?: string | undefined;
      durationMinutes?: number | undefined;
      capacity?: number | undefined;
      coachId?: string | null | undefined;
    }
  | { action: "end"; scheduleId: string; lastDate: string };

/** A class the change may touch, with its live counts. */
export interface SeriesSession {
  session: Pick<ClassSession, "id" | "scheduleId" | "startsAt" | "endsAt" | "capacity" | "coachId" | "status">;
  booked: number;
  waitlisted: number;
}

/**
 * - `moved` / `changed`: bookings and waitlist places stay, everyone booked or waiting is told (time or coach);
 * - `cancelled`: bookings cancelled without a fee and credits returned, the waitlist ended, everyone told;
 * - `skipped`: left as it is (already started, or the new time would be in the past).
 */
export type SeriesEffect = "moved" | "changed" | "cancelled" | "skipped";

export interface SeriesStep {
  sessionId: string;
  startsAt: number;
  /** The new start (moved), else the same. */
  newStartsAt: number;
  effect: SeriesEffect;
  booked: number;
  waitlisted: number;
  /** Booked beyond the new capacity: nobody is removed, the class is full until that many cancel. */
  overCapacity: number;
  /** Waitlisted members a larger class takes in, in waitlist order. */
  promoted: number;
  /** What the class room is asked to do. */
  command:
    | {
        type: "class:updateSession";
        payload: { sessionId: string; startsAt?: number; durationMinutes?: number; capacity?: number; coachId?: string | null };
      }
    | { type: "class:cancel"; payload: { sessionId: string; reason: string } }
    | null;
  /** Why it is skipped, in words. */
  note?: string;
}

export interface SeriesPlan {
  steps: SeriesStep[];
  totals: { classes: number; bookings: number; waitlisted: number; cancelled: number; told: number };
}

/** The classes a change looks at: the chosen one (and for "following" the later ones of its series), or for an end those after the last date. */
export function seriesTargets(
  change: SeriesChange,
  all: readonly SeriesSession[],
  chosen: SeriesSession | null,
  timeZone: string,
): SeriesSession[] {
  const live = all.filter((s) => s.session.status === "scheduled");
  if (change.action === "end") return live.filter((s) => localDate(s.session.startsAt, timeZone) > change.lastDate).sort(byStart);
  if (!chosen || chosen.session.status !== "scheduled") return [];
  if (change.scope === "this" || !chosen.session.scheduleId) return [chosen];
  return live
    .filter((s) => s.session.scheduleId === chosen.session.scheduleId && s.session.startsAt >= chosen.session.startsAt)
    .sort(byStart);
}

const byStart = (a: SeriesSession, b: SeriesSession) => a.session.startsAt - b.session.startsAt;

/** What the change does to each target class and its bookings. */
export function planSeriesChange(
  change: SeriesChange,
  targets: readonly SeriesSession[],
  timeZone: string,
  now: number,
  endReason = "The series ends",
): SeriesPlan {
  const steps = targets.map((t): SeriesStep => {
    const s = t.session;
    const base = {
      sessionId: s.id,
      startsAt: s.startsAt,
      newStartsAt: s.startsAt,
      booked: t.booked,
      waitlisted: t.waitlisted,
      overCapacity: 0,
      promoted: 0,
    };
    if (s.startsAt <= now) return { ...base, effect: "skipped", command: null, note: "Already started" };
    if (change.action === "end")
      return { ...base, effect: "cancelled", command: { type: "class:cancel", payload: { sessionId: s.id, reason: endReason } } };
    const newStartsAt =
      change.startTime !== undefined ? zonedInstant(localDate(s.startsAt, timeZone), change.startTime, timeZone) : s.startsAt;
    if (newStartsAt <= now) return { ...base, effect: "skipped", command: null, note: "The new time is in the past" };
    const payload: { sessionId: string; startsAt?: number; durationMinutes?: number; capacity?: number; coachId?: string | null } = {
      sessionId: s.id,
    };
    if (newStartsAt !== s.startsAt) payload.startsAt = newStartsAt;
    if (change.durationMinutes !== undefined) payload.durationMinutes = change.durationMinutes;
    if (change.capacity !== undefined) payload.capacity = change.capacity;
    if (change.coachId !== undefined) payload.coachId = change.coachId;
    const capacity = change.capacity ?? s.capacity;
    const moved =
      newStartsAt !== s.startsAt || (change.durationMinutes !== undefined && s.startsAt + change.durationMinutes * 60_000 !== s.endsAt);
    return {
      ...base,
      newStartsAt,
      effect: moved ? "moved" : "changed",
      overCapacity: Math.max(0, t.booked - capacity),
      promoted: Math.min(t.waitlisted, Math.max(0, capacity - Math.max(s.capacity, t.booked))),
      command: { type: "class:updateSession", payload },
    };
  });
  const acted = steps.filter((s) => s.command !== null);
  const told = (s: SeriesStep) =>
    s.effect === "cancelled" ||
    s.effect === "moved" ||
    (s.effect === "changed" && s.command?.type === "class:updateSession" && s.command.payload.coachId !== undefined);
  return {
    steps,
    totals: {
      classes: acted.length,
      bookings: acted.reduce((n, s) => n + s.booked, 0),
      waitlisted: acted.reduce((n, s) => n + s.waitlisted, 0),
      cancelled: acted.filter((s) => s.effect === "cancelled").length,
      told: acted.filter(told).reduce((n, s) => n + s.booked + s.waitlisted, 0),
    },
  };
}
