/**
 * Workouts: score types and leaderboard order, the incremental ranking, PR detection, and the class board.
 */
export * from "./scores.js";
export { Ranking } from "./ranking.js";
export * from "./prs.js";
export * from "./classBoard.js";
