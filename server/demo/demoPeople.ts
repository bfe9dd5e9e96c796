/** The demo gym and its people: the gym's policy, two locations, three plans, the owner, a front desk, four coaches and 200 members. */
import type { Gym, GymMembership, Location, MembershipPlan, MembershipStatus, User } from "../../domain/model.js";
import { demoId } from "./demoIds.js";

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
export interface DemoPeople {
  gym: Gym;
  locations: Location[];
  plans: MembershipPlan[];
  /** Everyone, staff first; `memberships[i]` is `users[i]`'s. */
  users: User[];
  memberships: GymMembership[];
  coaches: User[];
  /** The 200 members (`users` from index 6). */
  members: User[];
}

/** The gym, its plans and its people, drawn from `rand` (the demo's one seeded sequence: call order matters). */
export function demoPeople(rand: () => number, now: number): DemoPeople {
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
  return { gym, locations, plans, users, memberships, coaches, members };
}
