/**
 * Bringing a gym's visit history over from another system (issue 18: a gym switching from Mindbody or Glofox keeps
 * who came to which class): for classes that already started (imported by `importClasses`), who was booked and what
 * came of it — checked in (a check-in and an attendance event), a no-show (with the gym's no-show fee if asked), or,
 * for a class still running, booked and not in yet. Nothing live is told: a started class takes no bookings, so no
 * room decides these. Every row is checked first (member and class of the gym, class started, a member once per
 * class, not already booked there); one bad row imports nothing. One audited transaction, idempotent by command id.
 */
import { DomainError } from "../../domain/errors.js";
import type { AttendanceEvent, Booking, CheckIn, Fee } from "../../domain/model.js";
import type { AdminActor, AdminAudit } from "../admin/ports.js";

/** At most this many visits in one import (a year of a busy gym's classes, in a few files). */
export const HistoryLimits = { visits: 20_000 } as const;

export type VisitOutcome = "checked_in" | "no_show" | "booked";

export interface HistoryVisit {
  sessionId: string;
  memberId: string;
  outcome: VisitOutcome;
  /** When the member booked (defaults to an hour before the class). */
  bookedAt?: number | undefined;
}

export interface HistoryImport {
  visits: HistoryVisit[];
  /** Charge each no-show the gym's no-show fee (off when the old system settled them). */
  noShowFees: boolean;
}

export interface HistoryRecords {
  bookings: Booking[];
  checkIns: CheckIn[];
  attendance: AttendanceEvent[];
  fees: Fee[];
}

/** Reads and writes inside one transaction. */
export interface HistoryTx {
  gym(gymId: string): Promise<{ noShowFeeCents: number; currency: string } | null>;
  /** Of `ids`, the gym's classes. */
  sessions(gymId: string, ids: readonly string[]): Promise<{ id: string; startsAt: number; endsAt: number; status: string }[]>;
  /** Of `ids`, the users who are (or were) members of the gym. */
  members(gymId: string, ids: readonly string[]): Promise<Set<string>>;
  /** Of these classes, the members with a booking in any state, as `sessionId:memberId`. */
  booked(gymId: string, sessionIds: readonly string[]): Promise<Set<string>>;
  add(records: HistoryRecords): Promise<void>;
  audit(a: AdminAudit): void;
}

export interface HistoryStore {
  transaction<T>(actor: AdminActor, type: string, work: (tx: HistoryTx) => Promise<T>): Promise<T | DomainError>;
}

export interface HistoryPorts {
  store: HistoryStore;
  /** New ids, asked in visit order: the booking, then the check-in and attendance event, or the fee. */
  newId: () => string;
}

const problem = (i: number, message: string, field: string) =>
  new DomainError("VALIDATION_FAILED", `Visit ${i + 1}: ${message} — nothing was imported.`, { fields: { [field]: message } });

/** Writes the visits (all or nothing); answers how many of each outcome, and the fees charged. */
export async function importHistory(p: HistoryPorts, actor: AdminActor, input: HistoryImport) {
  if (input.visits.length > HistoryLimits.visits)
    return new DomainError("LIMIT_EXCEEDED", `One import takes at most ${HistoryLimits.visits} visits — split it.`);
  return p.store.transaction(actor, "gym:importHistory", async (tx) => {
    const gym = await tx.gym(actor.gymId);
    if (!gym) return null;
    const sessionIds = [...new Set(input.visits.map((v) => v.sessionId))];
    const sessions = new Map((await tx.sessions(actor.gymId, sessionIds)).map((s) => [s.id, s]));
    const members = await tx.members(actor.gymId, [...new Set(input.visits.map((v) => v.memberId))]);
    const taken = await tx.booked(actor.gymId, sessionIds);
    const out: HistoryRecords = { bookings: [], checkIns: [], attendance: [], fees: [] };
    for (const [i, v] of input.visits.entries()) {
      const s = sessions.get(v.sessionId);
      if (!s) throw problem(i, "No such class in this gym", "sessionId");
      if (s.status === "cancelled") throw problem(i, "That class was cancelled", "sessionId");
      if (s.startsAt > actor.now) throw problem(i, "That class has not started yet — book it instead", "sessionId");
      if (v.outcome === "booked" && s.endsAt <= actor.now) throw problem(i, "That class is over: checked in or no-show", "outcome");
      if (!members.has(v.memberId)) throw problem(i, "Not a member of this gym", "memberId");
      const key = `${v.sessionId}:${v.memberId}`;
      if (taken.has(key)) throw problem(i, "That member is already in that class", "memberId");
      taken.add(key);
      const at = v.bookedAt ?? s.startsAt - 3_600_000;
      if (at > s.startsAt) throw problem(i, "Booked after the class started", "bookedAt");
      const booking: Booking = {
        id: p.newId(),
        gymId: actor.gymId,
        sessionId: s.id,
        memberId: v.memberId,
        status: v.outcome,
        createdAt: at,
        updatedAt: at,
        creditUsed: false,
        promotedFromWaitlist: false,
      };
      out.bookings.push(booking);
      if (v.outcome === "checked_in") {
        const base = { gymId: actor.gymId, memberId: v.memberId, sessionId: s.id };
        out.checkIns.push({
          ...base,
          id: p.newId(),
          source: "desk",
          result: "accepted",
          reason: null,
          at: s.startsAt - 5 * 60_000,
          byUserId: null,
        });
        out.attendance.push({ ...base, id: p.newId(), at: s.startsAt });
      } else if (v.outcome === "no_show" && input.noShowFees && gym.noShowFeeCents > 0) {
        out.fees.push({
          id: p.newId(),
          gymId: actor.gymId,
          memberId: v.memberId,
          sessionId: s.id,
          bookingId: booking.id,
          kind: "no_show",
          amountCents: gym.noShowFeeCents,
          currency: gym.currency,
          createdAt: s.endsAt + 15 * 60_000,
          waived: false,
        });
      }
    }
    await tx.add(out);
    const counts = {
      visits: out.bookings.length,
      checkedIn: out.checkIns.length,
      noShows: out.bookings.filter((b) => b.status === "no_show").length,
      booked: out.bookings.filter((b) => b.status === "booked").length,
      fees: out.fees.length,
      feeCents: out.fees.reduce((n, f) => n + f.amountCents, 0),
    };
    tx.audit({
      action: "gym:importHistory",
      entityType: "import",
      entityId: null,
      before: null,
      after: { ...counts, classes: sessionIds.length },
    });
    return counts;
  });
}
