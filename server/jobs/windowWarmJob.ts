/**
 * Warm-up ahead of booking windows (issue 15): when a popular class's booking window opens, every member who waited
 * for it presses at once. Its class room and its gym's resident standings are then loaded beforehand — within
 * `leadMs` of the opening, through the router so the owning node loads them (claiming the room if nobody owns it)
 * and keeps them until the opening (rooms/RoomRegistry.ts `warm`). Not the first press, which otherwise waited for
 * the room's load, its lease claim and the whole gym's members. Every node runs it (a non-owner's warm-up is one
 * forwarded note); each warms at most `perMinute` rooms a minute, soonest opening first, each opening once.
 */
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Logger } from "../logger.js";
import type { Opening } from "../persistence/openingSessions.js";
import { PeriodicJob } from "./periodicJob.js";

export interface WindowWarmOptions {
  /** How long before an opening its room is warmed (0: never). */
  leadMs: number;
  /** Most rooms one node warms in a minute. */
  perMinute: number;
  /** How often a pass looks for openings (at most half of `leadMs` when it runs, so every opening is seen before it comes). */
  everyMs: number;
}

export const WindowWarmDefaults: WindowWarmOptions = { leadMs: 120_000, perMinute: 200, everyMs: 20_000 };

const MINUTE = 60_000;

export class WindowWarmer {
  /** Sessions warmed for an opening → that opening; forgotten once it has passed. */
  private readonly warmed = new Map<string, number>();
  private minuteFrom = -Infinity;
  private inMinute = 0;

  constructor(
    /** Sessions whose window opens in (from, to], soonest first, at most `limit`. */
    private readonly openings: (from: number, to: number, limit: number) => Promise<Opening[]>,
    /** Warms a class room, kept until `keepUntil` (the router's `RoomRegistry.warm`). */
    private readonly warm: (room: RoomId, keepUntil: number) => void,
    private readonly now: () => number,
    private readonly o: WindowWarmOptions = WindowWarmDefaults,
  ) {}

  /** One look ahead: warms the rooms of the next openings within the lead time and this minute's budget; answers how many. */
  async pass(): Promise<number> {
    const now = this.now();
    for (const [id, at] of this.warmed) if (at <= now) this.warmed.delete(id);
    if (now - this.minuteFrom >= MINUTE) {
      this.minuteFrom = now;
      this.inMinute = 0;
    }
    const budget = this.o.perMinute - this.inMinute;
    if (this.o.leadMs <= 0 || budget <= 0) return 0;
    // Openings already warmed come first in the answer too: ask for that many more.
    const found = await this.openings(now, now + this.o.leadMs, budget + this.warmed.size);
    let n = 0;
    for (const { sessionId, opensAt } of found) {
      if (n >= budget) break;
      if (this.warmed.get(sessionId) === opensAt) continue;
      this.warmed.set(sessionId, opensAt);
      this.warm(`class:${sessionId}` as RoomId, opensAt);
      n += 1;
    }
    this.inMinute += n;
    return n;
  }

  /** Runs {@link pass} every `everyMs`, the first soon after the node starts (openings right after a restart too). */
  start(log: Logger): PeriodicJob<number> {
    // At least two passes within the lead (a short lead set in the config must not let openings fall between passes).
    const everyMs = Math.max(500, Math.min(this.o.everyMs, Math.floor(this.o.leadMs / 2)));
    const job = new PeriodicJob("booking window warm-up", () => this.pass(), log, { everyMs, firstAfterMs: Math.min(1_000, everyMs) });
    if (this.o.leadMs > 0) job.start();
    return job;
  }
}
