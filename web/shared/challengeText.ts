/** Challenge amounts for people, in the unit members think in: classes, km (stored as meters), kg. */
import type { ChallengeKind } from "../../domain/challenges/challenge.js";

/** One challenge as `gym:challenges` lists it to staff and members alike (members also get their own progress). */
export interface ChallengeListing {
  challengeId: string;
  title: string;
  kind: ChallengeKind;
  target: number;
  movement: string | null;
  startsAt: number;
  endsAt: number;
  open: boolean;
  participants: number;
}

/** The unit a challenge's target is typed and shown in. */
export const ChallengeUnits: Record<ChallengeKind, string> = { attendance: "classes", distance: "km", volume: "kg" };

/** A stored amount (classes, meters, kg) as a number in the shown unit: "42.2" for 42,195 m. */
export function challengeNumber(kind: ChallengeKind, amount: number): string {
  const shown = kind === "distance" ? amount / 1000 : amount;
  return shown.toLocaleString("en-GB", { maximumFractionDigits: kind === "distance" ? 1 : 0 });
}

/** "12 classes", "1 class", "100 km", "50,000 kg". */
export function challengeAmount(kind: ChallengeKind, amount: number): string {
  const unit = kind === "attendance" && amount === 1 ? "class" : ChallengeUnits[kind];
  return `${challengeNumber(kind, amount)} ${unit}`;
}

/** "7 / 12 classes", "42.2 / 100 km". */
export function challengeProgress(kind: ChallengeKind, progress: number, target: number): string {
  return `${challengeNumber(kind, progress)} / ${challengeAmount(kind, target)}`;
}

/** A target as typed in the shown unit → the stored unit (meters for distance). */
export function challengeTarget(kind: ChallengeKind, typed: number): number {
  return kind === "distance" ? Math.round(typed * 1000) : Math.round(typed);
}
