import type { EntityManager } from "@mikro-orm/core";
import type {
  Booking,
  ClassSession,
  ClassType,
  Gym,
  GymMembership,
  Location,
  MembershipPlan,
  MembershipStatus,
  User,
  WaitlistEntry,
} from "../../domain/model.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  FeeEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  GymEntity,
  GymMembershipEntity,
  MembershipPlanEntity,
  UserEntity,
  WaitlistEntryEntity,
  WaiverDocumentEntity,
  WaiverSignatureEntity,
} from "../db/entities/index.js";
import { demoId } from "./demoIds.js";
import { setUpDemoGym } from "./demoSetup.js";
import { demoExtraSessions, demoSessionTimes } from "./demoSchedule.js";
import { mulberry32 } from "./prng.js";
import { seedFeed } from "./seedFeed.js";
import { seedLeads } from "./seedLeads.js";
import { seedTraining } from "./seedTraining.js";
import { demoWaiver } from "./seedWaiver.js";

export { demoId } from "./demoIds.js";

export const DEMO_GYM_ID = "00000000-0000-4000-8000-000000000001";
export const DEMO_OWNER_EMAIL = "owner@demo.spotter.gym";
export const DEMO_DESK_EMAIL = "desk@demo.spotter.gym";
export const DEMO_MEMBER_EMAIL = "member1@demo.spotter.gym";

const FIRST = [
  "Ana",
  "Ben",
  "Chloe",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "Jon",
  "Kai",
  "Lena",
  "Marco",
  "Nia",
  "Omar",
  "Pia",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
];
const LAST = ["Alvarez", "Berg", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"];
const CLASS_TYPES = [
  ["Strength", "#e4572e", "Heavy squats, presses and pulls in low-rep sets; the coach sets your weights."],
  ["Conditioning", "#17bebb", "Short, intense circuits to raise your engine. Any level; scale the reps."],
  ["Olympic Lifting", "#ffc914", "Snatch and clean & jerk technique with a barbell, drills to full lifts."],
  ["Gymnastics", "#76b041", "Pull-ups, handstands and core control, with progressions for every level."],
  ["Mobility", "#2e86ab", "Slow stretching and joint work to move better and recover. Bring comfy clothes."],
  ["Open Gym", "#a23b72", "Train on your own plan; a coach is on the floor for questions."],
  ["Bootcamp", "#f18f01", "Full-body group workout outdoors or in the hall — fun, fast, beginner-friendly."],
  ["Yoga", "#6a4c93", "Flowing yoga for strength and balance. Mats provided."],
  ["Spin", "#c73e1d", "Indoor cycling to music, intervals on a bike you can set to your pace."],
  ["Endurance", "#3b8ea5", "Longer rowing, running and bike pieces to build your aerobic base."],
] as const;

export interface DemoSummary {
  gymId: string;
  members: number;
  sessions: number;
  bookings: number;
  waitlisted: number;
  /** Logged workouts (with PRs) and challenge participations. */
  workouts: number;
  challengeParticipants: number;
}

/** Creates the demo gym (2 locations, 4 coaches, a front desk, 200 members, 10 class types, 2 weeks of classes around `now`, a signed waiver). */
export async function seedDemo(em: EntityManager, now: number): Promise<DemoSummary> {
  const rand = mulberry32(20261121);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const gym: Gym = {
    id: DEMO_GYM_ID,
    name: "Spotter Demo Box",
    timeZone: "Europe/Berlin",
    policy: {
      currency: "EUR",
      lateCancelFeeCents: 500,
      noShowFeeCents: 1000,
      promotionMode: "automatic",
      offerClaimMinutes: 15,
      bookingOpensMinutes: 7 * 24 * 60,
      bookingClosesMinutes: 0,
      lateCancelMinutes: 120,
      autoPromoteCutoffMinutes: 30,
      checkInOpensMinutes: 30,
      checkInClosesMinutes: 15,
      waitlistLimit: 10,
    },
  };
  const locations: Location[] = ["Downtown", "Riverside"].map((name) => ({ id: demoId(`loc:${name}`), gymId: gym.id, name }));
  const plans: MembershipPlan[] = [
    {
      id: demoId("plan:unlimited"),
      gymId: gym.id,
      name: "Unlimited",
      entitlement: { kind: "unlimited" },
      weeklyTarget: 4,
      priceCents: 12900,
    },
    {
      id: demoId("plan:3x"),
      gymId: gym.id,
      name: "3 classes a week",
      entitlement: { kind: "weekly", classesPerWeek: 3 },
      weeklyTarget: 3,
      priceCents: 8900,
    },
    {
      id: demoId("plan:pack10"),
      gymId: gym.id,
      name: "10-class pack",
      entitlement: { kind: "pack", credits: 10, validDays: 90 },
      weeklyTarget: 2,
      priceCents: 15000,
    },
  ];
  const users: User[] = [];
  const memberships: GymMembership[] = [];
  const addPerson = (
    key: string,
    email: string,
    name: string,
    role: GymMembership["role"],
    status: MembershipStatus,
    plan: MembershipPlan | null,
  ) => {
    const user: User = {
      id: demoId(`user:${key}`),
      email,
      name,
      phone: `+49 30 ${String(1000000 + users.length * 7919).slice(0, 7)}`,
      visible: rand() > 0.2,
    };
    users.push(user);
    const pack = plan?.entitlement.kind === "pack";
    memberships.push({
      id: demoId(`membership:${key}`),
      gymId: gym.id,
      userId: user.id,
      role,
      status,
      planId: plan?.id ?? null,
      credits: pack ? 3 + Math.floor(rand() * 8) : null,
      creditsExpireAt: pack ? now + 60 * 86_400_000 : null,
      notes: role === "member" && rand() < 0.05 ? "Knee injury — no box jumps" : "",
      joinedAt: now - Math.floor(rand() * 700) * 86_400_000,
    });
    return user;
  };
  addPerson("owner", DEMO_OWNER_EMAIL, "Olivia Owner", "owner", "active", null);
  addPerson("desk", DEMO_DESK_EMAIL, "Dana Desk", "front_desk", "active", null);
  const coaches = ["Carla Coach", "Chris Kettle", "Cam Barbell", "Coco Rower"].map((n, i) =>
    addPerson(`coach${i + 1}`, `coach${i + 1}@demo.spotter.gym`, n, "coach", "active", null),
  );
  const members: User[] = [];
  // Every first × last name once, in a seeded order: two "Nia Chen" on a leaderboard can't be told apart.
  const names = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  for (let i = 1; i <= 200; i++) {
    const r = rand();
    const status: MembershipStatus = i <= 3 ? "active" : r < 0.78 ? "active" : r < 0.86 ? "frozen" : r < 0.93 ? "past_due" : "cancelled";
    members.push(
      addPerson(`member${i}`, `member${i}@demo.spotter.gym`, names[i - 1]!, "member", status, i === 1 ? plans[0]! : pick(plans)),
    );
  }
  // A waiver in force that most members signed; not enforced, so check-ins and bookings go on as before.
  const waiver = demoWaiver(gym.id, gym.timeZone, demoId("user:owner"), users, memberships, now);
  gym.policy = { ...gym.policy, waiverRequired: "off", waiverVersions: [waiver.ref] };
  const classTypes: ClassType[] = CLASS_TYPES.map(([name, color, description]) => ({
    id: demoId(`type:${name}`),
    gymId: gym.id,
    name,
    description,
    color,
    promotionMode: null,
  }));

  const times = demoSessionTimes(now, gym.timeZone);
  const extras = demoExtraSessions(
    now,
    times.map((t) => t.startsAt),
  ).map((e, k) => ({ ...e, slot: k, locations: [locations[0]!] }));
  const openGym = classTypes.find((t) => t.name === "Open Gym")!;
  const sessions: ClassSession[] = [...times.map((t) => ({ ...t, minutes: 60, kind: "class" as const, locations })), ...extras].flatMap(
    ({ startsAt, slot, minutes, kind, locations: at }, i) =>
      at.map((loc, li) => {
        const type = kind === "open_gym" ? openGym : classTypes[(i + li * 3) % classTypes.length]!;
        return {
          id: demoId(`session:${startsAt}:${loc.name}`),
          gymId: gym.id,
          locationId: loc.id,
          classTypeId: type.id,
          coachId: coaches[(slot + li) % coaches.length]!.id,
          scheduleId: null,
          startsAt,
          endsAt: startsAt + minutes * 60_000,
          capacity: slot === 1 ? 12 : 16,
          status: startsAt + minutes * 60_000 < now ? "completed" : "scheduled",
          cancelReason: null,
          promotionMode: gym.policy.promotionMode,
          bookingOpensMinutes: gym.policy.bookingOpensMinutes,
          bookingClosesMinutes: gym.policy.bookingClosesMinutes,
          lateCancelMinutes: gym.policy.lateCancelMinutes,
          autoPromoteCutoffMinutes: gym.policy.autoPromoteCutoffMinutes,
          checkInOpensMinutes: gym.policy.checkInOpensMinutes,
          checkInClosesMinutes: gym.policy.checkInClosesMinutes,
          waitlistLimit: gym.policy.waitlistLimit,
          offerClaimMinutes: gym.policy.offerClaimMinutes,
        } satisfies ClassSession;
      }),
  );

  const active = members.filter((_, i) => memberships[i + 6]!.status === "active" && memberships[i + 6]!.credits === null);
  const bookings: Booking[] = [];
  const waitlist: WaitlistEntry[] = [];
  for (const s of sessions) {
    const upcoming = s.startsAt > now;
    // A class running now: most booked members are in, the rest may still come.
    const running = !upcoming && s.endsAt > now;
    const fill = upcoming ? (s.startsAt - now < 3 * 86_400_000 ? 0.6 + rand() * 0.8 : rand() * 0.6) : 0.5 + rand() * 0.5;
    const want = Math.floor(s.capacity * fill);
    const chosen = new Set<User>();
    while (chosen.size < Math.min(want, active.length)) chosen.add(pick(active));
    const list = [...chosen];
    list.slice(0, s.capacity).forEach((m, k) => {
      const status: Booking["status"] = upcoming
        ? "booked"
        : running
          ? rand() < 0.7
            ? "checked_in"
            : "booked"
          : rand() < 0.88
            ? "checked_in"
            : "no_show";
      const at = s.startsAt - (3 + k) * 3_600_000;
      bookings.push({
        id: demoId(`booking:${s.id}:${m.id}`),
        gymId: gym.id,
        sessionId: s.id,
        memberId: m.id,
        status,
        createdAt: at,
        updatedAt: at,
        creditUsed: false,
        promotedFromWaitlist: false,
      });
    });
    list.slice(s.capacity).forEach((m, k) => {
      if (!upcoming || k >= s.waitlistLimit) return;
      const at = s.startsAt - 3_600_000 + k * 60_000;
      waitlist.push({
        id: demoId(`wait:${s.id}:${m.id}`),
        gymId: gym.id,
        sessionId: s.id,
        memberId: m.id,
        position: k + 1,
        status: "waiting",
        createdAt: at,
        updatedAt: at,
        offerExpiresAt: null,
        reason: null,
      });
    });
  }

  // The gym and its locations through the wizard's own use cases (audited, as its owner), the rest as recorded history.
  await setUpDemoGym(em, gym, locations, demoId("user:owner"), now);
  await em.transactional(async (tx) => {
    await tx.insertMany(MembershipPlanEntity, plans);
    await tx.insertMany(UserEntity, users);
    await tx.insertMany(GymMembershipEntity, memberships);
    await tx.insertMany(ClassTypeEntity, classTypes);
    await tx.insertMany(ClassSessionEntity, sessions);
    if (bookings.length) await tx.insertMany(BookingEntity, bookings);
    // Past classes leave what the rules would have left: check-ins and attendance, no-show fees.
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
    if (waitlist.length) await tx.insertMany(WaitlistEntryEntity, waitlist);
    await tx.insert(WaiverDocumentEntity, waiver.document);
    await tx.insertMany(WaiverSignatureEntity, waiver.signatures);
  });
  const training = await seedTraining(
    em,
    gym.id,
    coaches[0]!.id,
    active.map((m) => m.id),
    now,
  );
  await seedFeed(
    em,
    gym.id,
    active.map((m) => m.id),
    now,
  );
  await seedLeads(em, gym.id, gym.timeZone, demoId("user:desk"), demoId("user:owner"), now);
  return {
    gymId: gym.id,
    members: members.length,
    sessions: sessions.length,
    bookings: bookings.length,
    waitlisted: waitlist.length,
    workouts: training.workouts,
    challengeParticipants: training.participants,
  };
}

/** True when the database holds no gym yet. */
export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(GymEntity, {})) === 0;
}
