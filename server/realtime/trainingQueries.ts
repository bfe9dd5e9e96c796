/**
 * Workout logs, challenges and gym leaderboards as requests on the ordinary envelope (see
 * domain/protocol/queries.ts): answered from the database, each in one transaction.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { ChallengeKind } from "../../domain/challenges/challenge.js";
import { DomainError } from "../../domain/errors.js";
import { CoachRoles, isStaffRole } from "../../domain/roles.js";
import type { LoggedWorkout } from "../../domain/workouts/prs.js";
import type { DailyVolumeLimits } from "../../domain/workouts/dailyVolume.js";
import { createChallenge, joinChallenge, leaveChallenge, listChallenges, reviewSubmission } from "../persistence/challengeStore.js";
import { gymLeaderboard, type BoardRequest } from "../persistence/leaderboardStore.js";
import { logWorkout } from "../persistence/workoutStore.js";
import { keys } from "../../rooms/keys.js";
import type { AccessControl } from "./access.js";
import type { InGym, Mine, QueryHandlers } from "./queryHandler.js";

const Managers = CoachRoles;
const isStaff = isStaffRole;

type NewChallengePayload = { title: string; kind: ChallengeKind; target: number; movement?: string; startsAt: number; endsAt: number };

export function trainingQueries(d: {
  orm: MikroORM;
  access: AccessControl;
  now: () => number;
  inGym: InGym;
  mine: Mine;
  workoutLimits?: DailyVolumeLimits | undefined;
  /** A logged workout moves the member's stored streak: resident copies on every node read it again. */
  memberChanged?: (gymId: string, memberId: string) => void;
}): QueryHandlers {
  const { orm, inGym, mine } = d;
  return {
    "user:logWorkout": mine<LoggedWorkout & { gymId: string; title?: string }>("user:logWorkout", async ({ userId, payload, commandId }) => {
      // The same rule as the gym room: another gym (or none) is NOT_FOUND, a cancelled membership FORBIDDEN.
      const access = await d.access.check(userId, `gym:${payload.gymId}`);
      if (!access.ok) return new DomainError(access.code, access.message);
      const { gymId, ...workout } = payload;
      const logged = await logWorkout(orm, { gymId, memberId: userId, commandId, workout, now: d.now(), ...(d.workoutLimits ? { limits: d.workoutLimits } : {}) });
      if (!(logged instanceof DomainError)) d.memberChanged?.(gymId, userId);
      return logged;
    }),

    "gym:leaderboard": inGym<BoardRequest & { watch?: boolean }>("gym:leaderboard", false, ({ userId, gymId, role, payload, channels }) => {
      // Subscribe before reading: a change committed in between still arrives as `board:changed`.
      if (payload.watch === true) channels?.join(keys.boardChannel(gymId));
      if (payload.watch === false) channels?.leave(keys.boardChannel(gymId));
      return gymLeaderboard(orm, gymId, userId, isStaff(role), payload, d.now());
    }),

    "gym:createChallenge": inGym<NewChallengePayload>("gym:createChallenge", Managers, ({ userId, gymId, payload, commandId }) =>
      createChallenge(orm, gymId, userId, payload, d.now(), commandId),
    ),

    // The review queue (names and amounts) goes to those who review it — not the front desk.
    "gym:challenges": inGym("gym:challenges", false, ({ userId, gymId, role }) => listChallenges(orm, gymId, userId, (Managers as readonly string[]).includes(role), d.now())),

    "gym:joinChallenge": inGym<{ challengeId: string }>("gym:joinChallenge", false, ({ userId, gymId, payload }) =>
      joinChallenge(orm, gymId, userId, payload.challengeId, d.now()),
    ),

    "gym:leaveChallenge": inGym<{ challengeId: string }>("gym:leaveChallenge", false, ({ userId, gymId, payload }) =>
      leaveChallenge(orm, gymId, userId, payload.challengeId, d.now()),
    ),

    "gym:reviewSubmission": inGym<{ submissionId: string; approve: boolean }>("gym:reviewSubmission", Managers, ({ userId, gymId, payload, commandId }) =>
      reviewSubmission(orm, gymId, userId, payload.submissionId, payload.approve, d.now(), commandId),
    ),
  };
}
