/**
 * The port between a commit that changes a gym's leaderboards and whoever keeps them live: persistence reports each
 * committed {@link BoardChange} to the listener the composition root attaches (`server/persistence/boardSink.ts`), and
 * the socket side (`server/realtime/boardChanges.ts`) applies it to this node's {@link BoardTotals} and tells watchers.
 */
import type { BoardPeriod } from "../../domain/workouts/gymBoards.js";

export type BoardKind = "attendance" | "volume" | "benchmark";

/** The boards a node keeps incrementally. */
export type CachedBoard = "attendance" | "volume";

/** One member's new total on one period's board. */
export interface TotalUpdate {
  period: BoardPeriod;
  /** The period's start (identifies which week or month). */
  from: number;
  memberId: string;
  total: number;
  /** When they reached it (their last counted activity in the period). */
  lastAt: number;
}

/** What one commit did to a gym's boards. */
export interface BoardChange {
  gymId: string;
  /** Boards whose watchers are told. */
  boards: BoardKind[];
  /** Members' new absolute totals, for every node's cached boards. */
  totals?: { board: CachedBoard; updates: TotalUpdate[] }[];
  /** Cached boards to forget (rebuilt on the next request). */
  drop?: CachedBoard[];
}

/** This node's cached boards, as a change moves them. */
export interface BoardTotals {
  update(gymId: string, board: CachedBoard, updates: readonly TotalUpdate[]): void;
  drop(gymId: string, board: CachedBoard): void;
}

/** Starts telling `listener` about committed changes; returns the function that stops it. */
export type AttachBoardListener = (listener: (change: BoardChange) => void) => () => void;
