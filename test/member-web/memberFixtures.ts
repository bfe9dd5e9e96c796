/**
 * Rows the member-app browser tests need (shared with the staff-app tests in test/support/demoFixtures.ts).
 */
import type { EntityManager } from "@mikro-orm/core";
import { BookingEntity } from "../../server/db/entities/index.js";

export { aMember, aSession } from "../support/demoFixtures.js";

/** The member's bookings of a session, as stored. */
export async function storedBookings(em: EntityManager, sessionId: string, memberId: string) {
  return em.find(BookingEntity, { sessionId, memberId }, { orderBy: { createdAt: "asc" } });
}
