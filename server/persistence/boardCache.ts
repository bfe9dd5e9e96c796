/**
 * This node's current-period attendance and volume boards, kept incrementally: built once from SQL, then
 * every commit that changes a member's total sends that member's new absolute total, which moves them in
 * the order-statistic {@link Ranking} in O(log n) — no rebuild per change, and a page or a place costs
 * O(log n) too. Totals are absolute, so applying one twice (a rebuild that already saw it, a late copy
 * from another node) changes nothing. Changes that can't be expressed as one member's new total (an
 * undone check-in) drop the gym's boards of that kind instead; every board is rebuilt after
 * {@link BoardCache.maxAgeMs} at the latest, which bounds any drift between nodes.
 */
import type { BoardPeriod } from "../../domain/workouts/gymBoards.js";
import { totalKey } from "../../domain/workouts/gymBoards.js";
import { Ranking } from "../../domain/workouts/ranking.js";
import type { BoardTotals, CachedBoard, TotalUpdate } from "../../app/training/boardChanges.js";

export type { CachedBoard, TotalUpdate };

/** A board as built from SQL: each member's total and when they reached it. */
export type BoardRows = readonly { memberId: string; total: number; lastAt: number }[];

export interface CachedEntry {
  ranking: Ranking;
  totals: Map<string, number>;
}

interface Slot {
  entry: CachedEntry;
  builtAt: number;
}

const keyOf = (gymId: string, board: CachedBoard, period: BoardPeriod, from: number) => `${gymId}|${board}|${period}|${from}`;

export class BoardCache implements BoardTotals {
  private readonly slots = new Map<string, Slot>();
  /** Builds in flight, with the updates that arrived meanwhile (applied once the build lands). */
  private readonly building = new Map<string, { promise: Promise<CachedEntry>; updates: TotalUpdate[]; dropped: boolean }>();

  constructor(
    private readonly now: () => number,
    readonly maxAgeMs = 300_000,
    private readonly maxSlots = 2_000,
  ) {}

  /** The board, from this node's copy or built once with `build` (concurrent askers share the build). */
  async get(gymId: string, board: CachedBoard, period: BoardPeriod, from: number, build: () => Promise<BoardRows>): Promise<CachedEntry> {
    const key = keyOf(gymId, board, period, from);
    const slot = this.slots.get(key);
    if (slot && this.now() - slot.builtAt < this.maxAgeMs) return slot.entry;
    const inFlight = this.building.get(key);
    if (inFlight) return inFlight.promise;
    const started = this.now();
    const job = { updates: [] as TotalUpdate[], dropped: false, promise: Promise.resolve(null as unknown as CachedEntry) };
    job.promise = (async () => {
      try {
        const rows = await build();
        const entry: CachedEntry = {
          ranking: Ranking.rebuild(rows.map((r) => totalKey(r.memberId, r.total, r.lastAt))),
          totals: new Map(rows.map((r) => [r.memberId, r.total])),
        };
        // Whatever committed while SQL was read may or may not be in it: absolute totals make re-applying safe.
        for (const u of job.updates) apply(entry, u);
        if (!job.dropped) {
          if (this.slots.size >= this.maxSlots) this.slots.delete(this.slots.keys().next().value!);
          this.slots.set(key, { entry, builtAt: started });
        }
        return entry;
      } finally {
        this.building.delete(key);
      }
    })();
    this.building.set(key, job);
    return job.promise;
  }

  /** Members' new totals on a gym's board: O(log n) each on every cached or building copy. */
  update(gymId: string, board: CachedBoard, updates: readonly TotalUpdate[]): void {
    for (const u of updates) {
      const key = keyOf(gymId, board, u.period, u.from);
      const slot = this.slots.get(key);
      if (slot) apply(slot.entry, u);
      this.building.get(key)?.updates.push(u);
    }
  }

  /** Forgets a gym's boards of one kind (they are rebuilt on the next request). */
  drop(gymId: string, board: CachedBoard): void {
    const prefix = `${gymId}|${board}|`;
    for (const key of [...this.slots.keys()]) if (key.startsWith(prefix)) this.slots.delete(key);
    for (const [key, job] of this.building) if (key.startsWith(prefix)) job.dropped = true;
  }
}

function apply(entry: CachedEntry, u: TotalUpdate): void {
  if (u.total <= 0) {
    entry.ranking.remove(u.memberId);
    entry.totals.delete(u.memberId);
    return;
  }
  entry.ranking.update(totalKey(u.memberId, u.total, u.lastAt));
  entry.totals.set(u.memberId, u.total);
}
