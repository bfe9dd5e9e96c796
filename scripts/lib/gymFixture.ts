/**
 * A small gym written straight to the database, for room and protocol tests:
 * `await aGym(server.db.orm, { capacity: 20, members: 200 })`.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { ClassSession, GymMembership, MembershipStatus, Role, User } from "../../domain/model.js";
import { DefaultGymPolicy } from "../../domain/policy.js";
import { policyFields } from "../../domain/schedule/generateSessions.js";
import {
  ClassSessionEntity,
  ClassTypeEntity,
  GymEntity,
  GymMembershipEntity,
  LocationEntity,
  MembershipPlanEntity,
  UserEntity,
} from "../../server/db/entities/index.js";

export interface GymFixture {
  gymId: string;
  sessionId: string;
  session: ClassSession;
  ownerId: string;
  coachId: string;
  deskId: string;
  members: User[];
  /** Adds another session to the gym. */
  addSession(overrides?: Partial<ClassSession>): Promise<ClassSession>;
}

export interface GymOptions {
  capacity?: number;
  members?: number;
  /** Minutes from now until the class starts. */
  startsInMinutes?: number;
  waitlistLimit?: number;
  memberStatus?: (i: number) => MembershipStatus;
  name?: string;
}

/** Creates a gym with an owner, a coach, a front desk, `members` active unlimited members and one class. */
export async function aGym(orm: MikroORM, options: GymOptions = {}): Promise<GymFixture> {
  const em = orm.em.fork();
  const gymId = randomUUID();
  const policy = { ...DefaultGymPolicy, waitlistLimit: options.waitlistLimit ?? 1_000 };
  const tag = gymId.slice(0, 8);
  em.create(GymEntity, { id: gymId, name: options.name ?? `Test Gym ${tag}`, timeZone: "Europe/Berlin", policy });
  const locationId = randomUUID();
  em.create(LocationEntity, { id: locationId, gymId, name: "Main floor" });
  const classTypeId = randomUUID();
  em.create(ClassTypeEntity, { id: classTypeId, gymId, name: "Strength", description: "", color: "#e4572e", promotionMode: null });
  const planId = randomUUID();
  em.create(MembershipPlanEntity, {
    id: planId,
    gymId,
    name: "Unlimited",
    entitlement: { kind: "unlimited" },
    weeklyTarget: 3,
    priceCents: 9900,
  });
  const now = Date.now();
  const person = (role: Role, i: number, status: MembershipStatus = "active"): User => {
    const user: User = {
      id: randomUUID(),
      email: `${role}${i}-${tag}@test.spotter`,
      name: `${role === "member" ? "Member" : role} ${i} Test`,
      phone: `+49 ${tag} ${i}`,
      visible: i % 2 === 0,
    };
    em.create(UserEntity, user);
    const m: GymMembership = {
      id: randomUUID(),
      gymId,
      userId: user.id,
      role,
      status,
      planId: role === "member" ? planId : null,
      credits: null,
      creditsExpireAt: null,
      notes: role === "member" ? `private note ${i}` : "",
      joinedAt: now,
    };
    em.create(GymMembershipEntity, m);
    return user;
  };
  const owner = person("owner", 0);
  const coach = person("coach", 0);
  const desk = person("front_desk", 0);
  const members = Array.from({ length: options.members ?? 10 }, (_, i) => person("member", i + 1, options.memberStatus?.(i) ?? "active"));
  const makeSession = (overrides: Partial<ClassSession> = {}): ClassSession => {
    const startsAt = now + (options.startsInMinutes ?? 24 * 60) * 60_000;
    return {
      id: randomUUID(),
      gymId,
      locationId,
      classTypeId,
      coachId: coach.id,
      scheduleId: null,
      roomId: null,
      startsAt,
      endsAt: startsAt + 3_600_000,
      capacity: options.capacity ?? 20,
      status: "scheduled",
      cancelReason: null,
      ...policyFields(policy),
      ...overrides,
    };
  };
  const session = makeSession();
  em.create(ClassSessionEntity, session);
  await em.flush();
  return {
    gymId,
    sessionId: session.id,
    session,
    ownerId: owner.id,
    coachId: coach.id,
    deskId: desk.id,
    members,
    async addSession(overrides) {
      const s = makeSession(overrides);
      const e = orm.em.fork();
      e.create(ClassSessionEntity, s);
      await e.flush();
      return s;
    },
  };
}
