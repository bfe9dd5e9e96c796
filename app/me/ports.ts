/**
 * What "me" requests (who am I, my account, check-in code, calendar link, visibility) need;
 * `server/persistence/meStore.ts` implements the store over PostgreSQL.
 */
import type { GymPolicy, MembershipStatus, Role } from "../../domain/model.js";
import type { Clock } from "../requestContext.js";

export interface MyGym {
  name: string;
  timeZone: string;
  policy: GymPolicy;
  /** The owner still has the set-up wizard ahead. */
  needsSetup?: boolean;
}

export interface MyMembership {
  gymId: string;
  /** "" and null when the gym's row is gone. */
  gymName: string;
  timeZone: string | null;
  role: Role;
  status: MembershipStatus;
  planId: string | null;
  credits: number | null;
  creditsExpireAt: number | null;
}

export interface MeStore {
  /** The user's name and the gym (both must exist: the caller's access was checked). */
  gymMe(userId: string, gymId: string): Promise<{ name: string; gym: MyGym }>;
  /** The user's row and memberships (first = the oldest row's order as stored). */
  account(userId: string): Promise<{ name: string; visible: boolean; memberships: MyMembership[] }>;
  /** Class attendances and workout-log times since `since` in one gym. */
  activity(gymId: string, userId: string, since: number): Promise<{ attendedAt: number[]; loggedAt: number[] }>;
  weeklyTarget(planId: string): Promise<number | null>;
  progress(gymId: string, userId: string): Promise<{ xp: number; workouts: number; bestStreak: number } | null>;
  setVisibility(userId: string, visible: boolean): Promise<void>;
  /** The user's calendar feed token; a new one when there is none or `replace`. */
  calendarToken(userId: string, replace: boolean, now: number): Promise<string>;
}

/** What staff keep on a member's account in one gym that the member sees on "Me". */
export interface MyStanding {
  frozenUntil: string | null;
  planName: string | null;
  /** Open charges (fees, sales, dues) not yet paid or waived. */
  owedCents: number;
  currency: string;
}

/** Signed check-in codes for the desk scanner. */
export interface CheckInCodes {
  issue(userId: string, now: number): Promise<{ code: string; expiresAt: number }>;
}

export interface MePorts {
  store: MeStore;
  /** The member's freeze, plan and money owed in a gym (the administration's account read); null without a membership. */
  standing: (gymId: string, userId: string) => Promise<MyStanding | null>;
  codes: CheckInCodes;
  now: Clock;
  /** Absolute base URL for links handed out (calendar feeds). */
  publicUrl: () => string;
  /** A user's consents or profile changed: resident standings (on every node) read them again. */
  userChanged: (userId: string) => void;
}
