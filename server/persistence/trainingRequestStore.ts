/** The training requests' {@link TrainingStore} port over PostgreSQL. */
import type { MikroORM } from "@mikro-orm/core";
import type { NoticeSender } from "../../app/notices/ports.js";
import type { TrainingStore } from "../../app/training/ports.js";
import { createChallenge, joinChallenge, leaveChallenge, listChallenges, reviewSubmission } from "./challengeStore.js";
import { gymLeaderboard } from "./leaderboardStore.js";
import { logWorkout } from "./workoutStore.js";

export function trainingRequestStore(orm: MikroORM, notices: NoticeSender): TrainingStore {
  return {
    logWorkout: (input) => logWorkout(orm, { ...input, notices }),
    leaderboard: (gymId, userId, staff, query, now) => gymLeaderboard(orm, gymId, userId, staff, query, now),
    createChallenge: (gymId, userId, input, now, commandId) => createChallenge(orm, gymId, userId, input, now, commandId),
    listChallenges: (gymId, userId, reviewer, now) => listChallenges(orm, gymId, userId, reviewer, now),
    joinChallenge: (gymId, memberId, challengeId, now) => joinChallenge(orm, gymId, memberId, challengeId, now),
    leaveChallenge: (gymId, memberId, challengeId, now) => leaveChallenge(orm, gymId, memberId, challengeId, now),
    reviewSubmission: (gymId, reviewerId, submissionId, approve, now, commandId) =>
      reviewSubmission(orm, gymId, reviewerId, submissionId, approve, now, commandId, notices),
  };
}
