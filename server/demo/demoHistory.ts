/**
 * Who came to the demo's classes that already started, through the visit-history import (`app/setup/importHistory.ts`)
 * as its owner: check-ins and attendance, no-shows with the gym's fee, and, in a class running now, members booked
 * and not in yet. Ids are the demo's own, in the order the import asks for them.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { AdminActor } from "../../app/admin/ports.js";
import { importHistory } from "../../app/setup/importHistory.js";
import { DomainError } from "../../domain/errors.js";
import type { Booking, ClassSession } from "../../domain/model.js";
import { historyStore } from "../persistence/historyStore.js";
import { demoId } from "./demoIds.js";

/** Imports the bookings of sessions that started before `now` (the others are for the rooms' own rules). */
export async function importDemoHistory(
  em: EntityManager,
  gymId: string,
  sessions: readonly ClassSession[],
  bookings: readonly Booking[],
  ownerId: string,
  now: number,
): Promise<void> {
  const started = new Set(sessions.filter((s) => s.startsAt <= now).map((s) => s.id));
  const past = bookings.filter((b) => started.has(b.sessionId));
  const ids = past.flatMap((b) =>
    b.status === "checked_in"
      ? [b.id, demoId(`checkin:${b.id}`), demoId(`attendance:${b.id}`)]
      : b.status === "no_show"
        ? [b.id, demoId(`fee:${b.id}`)]
        : [b.id],
  );
  const actor: AdminActor = { userId: ownerId, role: "owner", gymId, commandId: null, now };
  const imported = await importHistory({ store: historyStore({ em }), newId: () => ids.shift() ?? "" }, actor, {
    noShowFees: true,
    visits: past.map((b) => ({
      sessionId: b.sessionId,
      memberId: b.memberId,
      outcome: b.status as "checked_in" | "no_show" | "booked",
      bookedAt: b.createdAt,
    })),
  });
  if (imported === null || imported instanceof DomainError)
    throw new Error(`demo history refused: ${imported instanceof DomainError ? imported.message : "no gym"}`);
}
