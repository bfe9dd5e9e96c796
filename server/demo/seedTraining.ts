/**
 * The demo gym's training data, through the protocol's own use cases (`app/training`): a coach creates two running
 * challenges (`gym:createChallenge`), members join them (`gym:joinChallenge`) and log a few weeks of workouts
 * (`user:logWorkout`), each at the time it happened — so PRs, XP, streaks, challenge progress and feed events are what
 * real use leaves, and the implausible 60 km row is held for a coach to review.
 */
import type { MikroORM } from "@mikro-orm/core";
import { createChallenge, joinChallenge, logWorkout } from "../../app/training/trainingRequests.js";
import type { TrainingPorts } from "../../app/training/ports.js";
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import { trainingRequestStore } from "../persistence/trainingRequestStore.js";
import { pastNotices } from "./demoPorts.js";
import { mulberry32 } from "./prng.js";

const DAY = 86_400_000;

export interface TrainingSummary {
  challenges: number;
  participants: number;
  workouts: number;
}

/** The use case's answer, or an error naming what the demo asked for. */
async function done<T extends object>(what: string, outcome: Promise<T | DomainError>): Promise<T> {
  const result = await outcome;
  if (result instanceof DomainError) throw new Error(`demo ${what} refused: ${result.message}`);
  return result;
}

/** `members`: active members, the demo member first; `coachId` sets the challenges up. */
export async function seedTraining(
  orm: MikroORM,
  gymId: string,
  coachId: string,
  members: readonly string[],
  now: number,
): Promise<TrainingSummary> {
  const rand = mulberry32(9);
  const store = trainingRequestStore(orm, pastNotices);
  // Members of this gym (the seed picks them from its own active members).
  const at = (t: number): TrainingPorts => ({ store, membership: { check: async () => null }, now: () => t });
  const inGym = <P>(userId: string, role: string, payload: P) => ({ userId, gymId, role, payload, commandId: null, live: undefined });
  const challenge = async (
    title: string,
    kind: "attendance" | "distance",
    target: number,
    startDaysAgo: number,
    days: number,
    movement?: string,
  ) => {
    const startsAt = now - startDaysAgo * DAY;
    const payload: RequestPayload<"gym:createChallenge"> = { title, kind, target, startsAt, endsAt: startsAt + days * DAY };
    if (movement) payload.movement = movement;
    const created = await done(`challenge ${title}`, createChallenge(at(startsAt), inGym(coachId, "coach", payload)));
    return { id: (created as { challengeId: string }).challengeId, startsAt };
  };
  const join = (memberId: string, challengeId: string, t: number) =>
    done("joining a challenge", joinChallenge(at(t), inGym(memberId, "member", { challengeId })));
  const log = (memberId: string, t: number, commandId: string, workout: Omit<RequestPayload<"user:logWorkout">, "gymId">) =>
    done("workout", logWorkout(at(t), { userId: memberId, commandId, sessionId: null, payload: { gymId, ...workout } }));

  const classes = await challenge("12 classes in 4 weeks", "attendance", 12, 14, 28);
  const rowing = await challenge("100 km rowed", "distance", 100_000, 12, 30, "Row");
  const lifters = members.slice(0, 8);
  let participants = 0;
  for (const [i, m] of members.slice(0, 16).entries()) {
    await join(m, classes.id, classes.startsAt + (1 + (i % 5)) * 3_600_000);
    participants++;
    if (i < lifters.length) {
      await join(m, rowing.id, rowing.startsAt + (1 + i) * 3_600_000);
      participants++;
    }
  }
  // Three sessions each, a few days apart, getting a little stronger: the later ones set PRs.
  let workouts = 0;
  for (let round = 0; round < 3; round++) {
    for (const [i, m] of lifters.entries()) {
      const squat = 60_000 + i * 5_000 + round * 2_500 + Math.floor(rand() * 3) * 500;
      const rowMeters = 2_000 + Math.floor(rand() * 4) * 1_000;
      await log(m, now - (8 - round * 3) * DAY + i * 600_000, `demo-${round}-${i}`, {
        title: ["Leg day", "Pull and row", "Engine"][round],
        exercises: [
          {
            movement: "Back squat",
            sets: [
              { reps: 5, grams: squat - 10_000 },
              { reps: 5, grams: squat },
              { reps: 5, grams: squat },
            ],
          },
          { movement: "Row", sets: [{ meters: rowMeters, ms: rowMeters * (210 - round * 3 - (i % 4)) }] },
          { movement: "Pull-up", sets: [{ reps: 6 + round + (i % 3) }] },
        ],
      });
      workouts++;
    }
  }
  // Someone claims a 60 km row in one go: held for a coach to approve or reject.
  if (lifters[2]) {
    await log(lifters[2], now - DAY, "demo-long-row", { title: "Long row", exercises: [{ movement: "Row", sets: [{ meters: 60_000 }] }] });
    workouts++;
  }
  return { challenges: 2, participants, workouts };
}
