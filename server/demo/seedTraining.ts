/**
 * The demo gym's training data, written through the same stores the protocol uses (so PRs, XP, streaks,
 * challenge progress and feed events are what real use would leave): two running challenges with members,
 * a few weeks of logged workouts with PRs, and one implausible row held for the staff to review.
 */
import type { EntityManager } from "@mikro-orm/core";
import { DomainError } from "../../domain/errors.js";
import { createChallenge, joinChallenge } from "../persistence/challengeStore.js";
import { logWorkout } from "../persistence/workoutStore.js";
import { mulberry32 } from "./prng.js";

const DAY = 86_400_000;

export interface TrainingSummary {
  challenges: number;
  participants: number;
  workouts: number;
}

/** `members`: active members, the demo member first; `coachId` sets the challenges up. */
export async function seedTraining(
  em: EntityManager,
  gymId: string,
  coachId: string,
  members: readonly string[],
  now: number,
): Promise<TrainingSummary> {
  const rand = mulberry32(9);
  const orm = { em };
  const challenge = async (
    title: string,
    kind: "attendance" | "distance",
    target: number,
    startDaysAgo: number,
    days: number,
    movement?: string,
  ) => {
    const startsAt = now - startDaysAgo * DAY;
    const created = await createChallenge(
      orm,
      gymId,
      coachId,
      { title, kind, target, movement, startsAt, endsAt: startsAt + days * DAY },
      startsAt,
    );
    if (created instanceof DomainError) throw created;
    return { id: created.challengeId, startsAt };
  };
  const classes = await challenge("12 classes in 4 weeks", "attendance", 12, 14, 28);
  const rowing = await challenge("100 km rowed", "distance", 100_000, 12, 30, "Row");
  const lifters = members.slice(0, 8);
  let participants = 0;
  for (const [i, m] of members.slice(0, 16).entries()) {
    await joinChallenge(orm, gymId, m, classes.id, classes.startsAt + (1 + (i % 5)) * 3_600_000);
    participants++;
    if (i < lifters.length) {
      await joinChallenge(orm, gymId, m, rowing.id, rowing.startsAt + (1 + i) * 3_600_000);
      participants++;
    }
  }
  // Three sessions each, a few days apart, getting a little stronger: the later ones set PRs.
  let workouts = 0;
  for (let round = 0; round < 3; round++) {
    for (const [i, m] of lifters.entries()) {
      const at = now - (8 - round * 3) * DAY + i * 600_000;
      const squat = 60_000 + i * 5_000 + round * 2_500 + Math.floor(rand() * 3) * 500;
      const rowMeters = 2_000 + Math.floor(rand() * 4) * 1_000;
      await logWorkout(orm, {
        gymId,
        memberId: m,
        commandId: `demo-${round}-${i}`,
        now: at,
        workout: {
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
        },
      });
      workouts++;
    }
  }
  // Someone claims a 60 km row in one go: held for a coach to approve or reject.
  if (lifters[2]) {
    await logWorkout(orm, {
      gymId,
      memberId: lifters[2],
      commandId: "demo-long-row",
      now: now - DAY,
      workout: { title: "Long row", exercises: [{ movement: "Row", sets: [{ meters: 60_000 }] }] },
    });
    workouts++;
  }
  return { challenges: 2, participants, workouts };
}
