/**
 * Zod schemas of challenge and gym leaderboard requests (answered as queries on `gym:<id>`).
 */
import { z } from "zod";
import { ChallengeKinds } from "../challenges/challenge.js";
import { Id, InstantField, Name } from "./fields.js";

/**
 * Staff (owner, admin, coach): a new challenge. `target` is in the kind's unit — classes, meters, kilograms.
 *
 * @example
 * { title: "12 classes in 4 weeks", kind: "attendance", target: 12, startsAt, endsAt }
 * { title: "100 km rowed", kind: "distance", target: 100_000, movement: "Row", startsAt, endsAt }
 */
export const CreateChallengeSchema = z.strictObject({
  title: Name(120),
  kind: z.enum(ChallengeKinds),
  target: z.int().min(1).max(100_000_000),
  movement: Name(80).optional(),
  startsAt: InstantField,
  endsAt: InstantField,
});

export const ChallengeRefSchema = z.strictObject({ challengeId: Id });

/** Staff (owner, admin, coach): approve or reject a held submission. */
export const ReviewSubmissionSchema = z.strictObject({ submissionId: Id, approve: z.boolean() });

export const LeaderboardBoards = ["attendance", "volume", "benchmark"] as const;
export const LeaderboardPeriods = ["week", "month"] as const;

/**
 * A gym leaderboard for the current (or `offset` periods earlier) week or month, in the gym's zone.
 * `benchmark` needs `workout`: the title of a class workout of the day ("Fran"), compared without case.
 *
 * @example
 * { board: "attendance", period: "week" }
 * { board: "benchmark", period: "month", workout: "Fran" }
 */
export const LeaderboardSchema = z
  .strictObject({
    board: z.enum(LeaderboardBoards),
    period: z.enum(LeaderboardPeriods),
    offset: z.int().min(0).max(24).optional(),
    workout: Name(200).optional(),
    limit: z.int().min(1).max(100).optional(),
    /** true: also send this socket `board:changed { gymId, boards }` when a check-in, logged workout or class result changes a board; false: stop. */
    watch: z.boolean().optional(),
  })
  .refine((p) => p.board !== "benchmark" || p.workout !== undefined, { path: ["workout"], message: "Name the benchmark workout" });
