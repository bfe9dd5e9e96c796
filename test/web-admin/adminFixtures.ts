/**
 * Rows the staff-app browser tests need, written into the demo gym's database before any room
 * loads them: members in a given standing, small sessions of their own class type, bookings.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { BookingEntity, WaitlistEntryEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID } from "../../server/demo/seedDemo.js";
import { aSession as aDemoSession } from "../support/demoFixtures.js";

export { aMember } from "../support/demoFixtures.js";

/** A session of a class type of its own at Downtown, coached by coach 1, with the demo policy; returns its id. */
export async function aSession(
  em: EntityManager,
  options: { className: string; startsInMinutes: number; capacity: number; now: number },
): Promise<string> {
  return (await aDemoSession(em, options)).sessionId;
}

/** A booking (status `booked`) of a member in a session. */
export async function aBooking(em: EntityManager, sessionId: string, memberId: string, now: number): Promise<void> {
  await em.insert(BookingEntity, {
    id: randomUUID(),
    gymId: DEMO_GYM_ID,
    sessionId,
    memberId,
    status: "booked",
    createdAt: now - 3_600_000,
    updatedAt: now - 3_600_000,
    creditUsed: false,
    promotedFromWaitlist: false,
  });
}

/** A waitlist place (status `waiting`) at `position`. */
export async function aWaitlistPlace(em: EntityManager, sessionId: string, memberId: string, position: number, now: number): Promise<void> {
  await em.insert(WaitlistEntryEntity, {
    id: randomUUID(),
    gymId: DEMO_GYM_ID,
    sessionId,
    memberId,
    position,
    status: "waiting",
    createdAt: now - 1_800_000 + position,
    updatedAt: now - 1_800_000 + position,
    offerExpiresAt: null,
    reason: null,
  });
}
