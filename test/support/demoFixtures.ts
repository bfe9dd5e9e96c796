/**
 * Rows the browser tests (staff app and member app) write straight into the demo gym's database:
 * members on the Unlimited plan (no weekly limit or credits in the way) and small sessions of a class type of their own.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { ClassSession, MembershipStatus } from "../../domain/model.js";
import { wallClock } from "../../domain/schedule/timeZone.js";
import { ClassSessionEntity, ClassTypeEntity, GymMembershipEntity, UserEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";

const MINUTE = 60_000;

/** Minutes since midnight in the demo gym's zone (Europe/Berlin): late at night "in 10 minutes" is tomorrow. */
export function demoMinutesOfDay(now: number): number {
  const { hour, minute } = wallClock(now, "Europe/Berlin");
  return hour * 60 + minute;
}

/** A member of the demo gym on the Unlimited plan (active unless told); returns their user id. */
export async function aMember(em: EntityManager, name: string, now: number, status: MembershipStatus = "active"): Promise<string> {
  const id = randomUUID();
  await em.insert(UserEntity, { id, email: `${id}@e2e.spotter.gym`, name, phone: null, visible: true });
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
    joinedAt: now - 30 * 86_400_000,
  });
  return id;
}

/**
 * A session of a class type of its own (so its card is easy to find) at the demo gym's Downtown location,
 * with the demo gym's policy: late cancel 120 min before start, €5 fee, promotion until 30 min before
 * (automatic unless `promotionMode: "offer"`: then a freed spot is held 15 min for the first in line to claim).
 */
export async function aSession(
  em: EntityManager,
  {
    className,
    startsInMinutes,
    capacity,
    now,
    promotionMode = "automatic",
  }: { className: string; startsInMinutes: number; capacity: number; now: number; promotionMode?: ClassSession["promotionMode"] },
): Promise<{ sessionId: string; startsAt: number }> {
  const classTypeId = randomUUID();
  await em.insert(ClassTypeEntity, {
    id: classTypeId,
    gymId: DEMO_GYM_ID,
    name: className,
    description: "",
    color: "#3b82f6",
    promotionMode: null,
  });
  // Whole minutes, so the displayed time is exact.
  const startsAt = Math.ceil((now + startsInMinutes * MINUTE) / MINUTE) * MINUTE;
  const session: ClassSession = {
    id: randomUUID(),
    gymId: DEMO_GYM_ID,
    locationId: demoId("loc:Downtown"),
    classTypeId,
    coachId: demoId("user:coach1"),
    scheduleId: null,
    roomId: null,
    startsAt,
    endsAt: startsAt + 60 * MINUTE,
    capacity,
    status: "scheduled",
    cancelReason: null,
    promotionMode,
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
  return { sessionId: session.id, startsAt };
}
