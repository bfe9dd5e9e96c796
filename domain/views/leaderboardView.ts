/**
 * The class leaderboard as staff and members see it, projected from the class board.
 */
import { rankedResults, type ClassBoard } from "../workouts/classBoard.js";
import { formatScore, type Division, type Score, type ScoreType } from "../workouts/scores.js";
import { distinctFirstNames, firstName, type Person } from "./people.js";

export interface WorkoutSummary {
  title: string;
  /** "" when the coach wrote none. */
  description: string;
  scoreType: ScoreType;
  divisions: Division[];
}

/** Staff line, keyed by result id so a delta touches the lines whose rank or score changed. */
export interface StaffResultLine {
  rank: number;
  memberId: string;
  name: string;
  /** Whether the member lets other members see their first name: screens facing the gym (the TV board) show it only then. */
  visible: boolean;
  division: Division;
  score: Score;
  display: string;
  submittedAt: number;
}

/** Member line: a place and a score; the first name only when the member is visible. Never an id. */
export interface PublicResultLine {
  rank: number;
  name: string | null;
  division: Division;
  score: Score;
  display: string;
}

export interface StaffLeaderboard {
  workout: WorkoutSummary | null;
  results: Record<string, StaffResultLine>;
}

export interface PublicLeaderboard {
  workout: WorkoutSummary | null;
  /** Best first. */
  rows: PublicResultLine[];
}

const summary = (board: ClassBoard): WorkoutSummary | null =>
  board.workout && {
    title: board.workout.title,
    description: board.workout.description ?? "",
    scoreType: board.workout.scoreType,
    divisions: [...board.workout.divisions],
  };

export function staffLeaderboard(board: ClassBoard, people: Readonly<Record<string, Person>>): StaffLeaderboard {
  const results: Record<string, StaffResultLine> = {};
  rankedResults(board).forEach((r, i) => {
    results[r.id] = {
      rank: i + 1,
      memberId: r.memberId,
      name: people[r.memberId]?.name ?? "Unknown member",
      visible: people[r.memberId]?.visible ?? false,
      division: r.division,
      score: r.score,
      display: formatScore(r.score),
      submittedAt: r.submittedAt,
    };
  });
  return { workout: summary(board), results };
}

export function publicLeaderboard(board: ClassBoard, people: Readonly<Record<string, Person>>): PublicLeaderboard {
  const ranked = rankedResults(board);
  // Among the visible names on this board, a repeated first name carries its last initial.
  const visible = ranked.filter((r) => people[r.memberId]?.visible).map((r) => people[r.memberId]!.name);
  const distinct = distinctFirstNames(visible);
  const shown = new Map(visible.map((n, i) => [n, distinct[i]!]));
  const rows = ranked.map((r, i): PublicResultLine => {
    const p = people[r.memberId];
    return {
      rank: i + 1,
      name: p?.visible ? (shown.get(p.name) ?? firstName(p.name)) : null,
      division: r.division,
      score: r.score,
      display: formatScore(r.score),
    };
  });
  return { workout: summary(board), rows };
}
