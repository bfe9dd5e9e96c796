/** What past demo classes leave behind, as the rules would have left it: check-ins and attendance, no-show fees. */
import type { EntityManager } from "@mikro-orm/core";
import type { Booking, ClassSession, Gym } from "../../domain/model.js";
import { AttendanceEventEntity, CheckInEntity, FeeEntity } from "../db/entities/index.js";
import { demoId } from "./demoIds.js";

/** Inserts the history of the sessions' non-`booked` bookings, inside the caller's transaction. */
export async function insertDemoHistory(tx: EntityManager, gym: Gym, sessions: ClassSession[], bookings: Booking[]): Promise<void> {
  const past = bookings.flatMap((b) => {
    const s = sessions.find((x) => x.id === b.sessionId)!;
    return b.status === "booked" ? [] : [{ b, s }];
  });
  const attended = past.filter(({ b }) => b.status === "checked_in");
  if (attended.length) {
    await tx.insertMany(
      CheckInEntity,
      attended.map(({ b, s }) => ({
        id: demoId(`checkin:${b.id}`),
        gymId: gym.id,
        memberId: b.memberId,
        sessionId: s.id,
        source: "desk" as const,
        result: "accepted" as const,
        reason: null,
        at: s.startsAt - 5 * 60_000,
        byUserId: null,
      })),
    );
    await tx.insertMany(
      AttendanceEventEntity,
      attended.map(({ b, s }) => ({
        id: demoId(`attendance:${b.id}`),
        gymId: gym.id,
        memberId: b.memberId,
        sessionId: s.id,
        at: s.startsAt,
      })),
    );
  }
  const noShows = past.filter(({ b }) => b.status === "no_show");
  if (noShows.length) {
    await tx.insertMany(
      FeeEntity,
      noShows.map(({ b, s }) => ({
        id: demoId(`fee:${b.id}`),
        gymId: gym.id,
        memberId: b.memberId,
        sessionId: s.id,
        bookingId: b.id,
        kind: "no_show" as const,
        amountCents: gym.policy.noShowFeeCents,
        currency: gym.policy.currency,
        createdAt: s.endsAt + 15 * 60_000,
        waived: false,
      })),
    );
  }
}
