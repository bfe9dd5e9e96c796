/**
 * Rows the staff-app browser tests need, written into the demo gym's database before any room
 * loads them: members in a given standing, small sessions of their own class type, bookings.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { ClassSession, MembershipStatus } from "../../domain/model.js";
import { BookingEntity, ClassSessionEntity, ClassTypeEntity, GymMembershipEntity, UserEntity, WaitlistEntryEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";

const MINUTE = 60_000;

/** A member of the demo gym on the Unlimited plan; returns their user id. */
export async function aMember(em: EntityManager, name: string, now: number, status: MembershipStatus = "active"): Promise<string> {
  const id = randomUUID();
  await em.insert(UserEntity, { id, email: `${id.slice(0, 8)}@admin-e2e.spotter.gym`, name, phone: null, visible: true });
  await em.insert(GymMembershipEntity, {
    id: randomUUID(),
    gymId: DEMO_GYM_ID,
    userId: id,
    role: "member",
    status,
    planId: demoId("plan:unlimited"),
    credits: null,
    creditsExpireAt: null,
    notes: "",
    joinedAt: now - 90 * 86_400_000,
  });
  return id;
}

/** A session of a class type of its own at Downtown, coached by coach 1, with the demo policy. */
export async function aSession(
  em: EntityManager,
  { className, startsInMinutes, capacity, now }: { className: string; startsInMinutes: number; capacity: number; now: number },
): Promise<string> {
  const classTypeId = randomUUID();
  await em.insert(ClassTypeEntity, { id: classTypeId, gymId: DEMO_GYM_ID, name: className, description: "", color: "#17bebb", promotionMode: null });
  const startsAt = Math.ceil((now + startsInMinutes * MINUTE) / MINUTE) * MINUTE;
  const session: ClassSession = {
    id: randomUUID(),
    gymId: DEMO_GYM_ID,
    locationId: demoId("loc:Downtown"),
    classTypeId,
    coachId: demoId("user:coach1"),
    scheduleId: null,
    startsAt,
    endsAt: startsAt + 60 * MINUTE,
    capacity,
    status: "scheduled",
    cancelReason: null,
    promotionMode: "automatic",
    bookingOpensMinutes: 7 * 24 * 60,
    bookingClosesMinutes: 0,
    lateCancelMinutes: 120,
    autoPromoteCutoffMinutes: 30,
    checkInOpensMinutes: 30,
    checkInClosesMinutes: 15,
    waitlistLimit: 10,
    offerClaimMinutes: 15,
  };
  await em.insert(ClassSessionEntity, session);
  return session.id;
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
