/**
 * Warm-up ahead of booking windows (issue 15): when a popular class's booking window opens, every member who waited
 * for it presses at once. Its class room and its gym's resident standings are then loaded beforehand — within
 * `leadMs` of the opening, through the router so the owning node loads them (claiming the room if nobody owns it)
 * and keeps them until the opening (rooms/RoomRegistry.ts `warm`). Not the first press, which otherwise waited for
 * the room's load, its lease claim and the whole gym's members. Every node runs it, but each room is warmed once in
 * the cluster: by the node that owns it (or claims it now) — the others leave it to that node and look again next
 * pass (the owner may be gone by then); one still left to its owner within half the lead gets a one-way note to it, once, so
 * an owner whose own pass is stuck or out of budget does not leave it cold. A warm-up that failed, or that did not
 * answer within `WARM_WAIT_MS` (it goes on in its room), is tried again on the next pass.
 * Each node warms at most `perMinute` rooms a minute, soonest opening first, each opening once.
 */
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { RoomMessage } from "../../rooms/ports.js";
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

/** What one warm-up did: the room is warm here (or gone: nothing to warm), another node owns it, or it failed. */
export type WarmOutcome = "warmed" | "elsewhere" | "failed";

/** How long a pass waits for one room's warm-up before counting it failed (it goes on; the next pass looks again). */
export const WARM_WAIT_MS = 5_000;

type Send<T> = (room: RoomId, message: RoomMessage) => Promise<Ack<unknown> | T>;

/**
 * A warm-up through `ifOwner`, which runs a message in the room only where this node owns it or claims it now (the
 * router's `sendIfOwner`), else answers "elsewhere": the room's tick, keeping it until the opening. With `anywhere`
 * (a one-way note to wherever the room lives: the registry's `tell`, never re-asked) when the pass asks for it: an
 * opening close at hand whose owner has not warmed it. A warm-up not answered within `waitMs` counts as failed (a room stuck in its load must not
 * hold up the pass, the other openings and the node's shutdown behind it).
 */
export const warmThrough =
  (ifOwner: Send<"elsewhere">, o: { anywhere?: Send<never>; waitMs?: number } = {}) =>
  async (room: RoomId, keepUntil: number, anywhere = false): Promise<WarmOutcome> => {
    const message: RoomMessage = { kind: "note", note: { type: "tick", keepUntil } };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), o.waitMs ?? WARM_WAIT_MS)));
    try {
      const sent = (anywhere && o.anywhere ? o.anywhere(room, message) : ifOwner(room, message)).catch((): "failed" => "failed");
      const answer = await Promise.race([sent, late]);
      if (answer === "elsewhere") return "elsewhere";
      if (answer === "late" || answer === "failed") return "failed";
      return answer.ok || answer.error.code === "NOT_FOUND" ? "warmed" : "failed";
    } finally {
      clearTimeout(timer);
    }
  };

export class WindowWarmer {
  /** Sessions warmed for an opening → that opening; forgotten once it has passed. */
  private readonly warmed = new Map<string, number>();
  /** Sessions whose room another node owned at the last look → their opening: looked at again every pass. */
  private readonly elsewhere = new Map<string, number>();
  private minuteFrom = -Infinity;
  private inMinute = 0;

  constructor(
    /** Sessions whose window opens in (from, to], soonest first, at most `limit`. */
    private readonly openings: (from: number, to: number, limit: number) => Promise<Opening[]>,
    /** Warms a class room, kept until `keepUntil`, where this node owns it, or wherever it lives with `anywhere` (see {@link warmThrough}). */
    private readonly warm: (room: RoomId, keepUntil: number, anywhere: boolean) => Promise<WarmOutcome>,
    private readonly now: () => number,
    private readonly o: WindowWarmOptions = WindowWarmDefaults,
  ) {}

  /**
   * One look ahead: warms the rooms of the next openings within the lead time and this minute's budget (warm-ups
   * tried here count, failed or not; rooms another node owns do not); answers how many it warmed.
   */
  async pass(): Promise<number> {
    const now = this.now();
    for (const seen of [this.warmed, this.elsewhere]) for (const [id, at] of seen) if (at <= now) seen.delete(id);
    if (now - this.minuteFrom >= MINUTE) {
      this.minuteFrom = now;
      this.inMinute = 0;
    }
    const budget = this.o.perMinute - this.inMinute;
    if (this.o.leadMs <= 0 || budget <= 0) return 0;
    // Openings already warmed or left to their owner come first in the answer too: ask for that many more.
    const found = await this.openings(now, now + this.o.leadMs, budget + this.warmed.size + this.elsewhere.size);
    const picked: Opening[] = [];
    let fresh = 0;
    for (const opening of found) {
      if (this.warmed.get(opening.sessionId) === opening.opensAt) continue;
      // Another node's last time: looked at again (no load here unless it is ours now), outside the budget.
      const known = this.elsewhere.get(opening.sessionId) === opening.opensAt;
      if (!known && fresh >= budget) continue;
      if (!known) fresh += 1;
      picked.push(opening);
    }
    // Left to its owner at an earlier pass and now within half the lead: a one-way note to the owner, once (its own pass may
    // be stuck or out of budget); a room already warm there only takes the tick.
    const outcomes = await Promise.all(
      picked.map((o) =>
        this.warm(
          `class:${o.sessionId}` as RoomId,
          o.opensAt,
          this.elsewhere.get(o.sessionId) === o.opensAt && o.opensAt - now <= this.o.leadMs / 2,
        ),
      ),
    );
    let tried = 0;
    let warmed = 0;
    picked.forEach(({ sessionId, opensAt }, i) => {
      const outcome = outcomes[i];
      if (outcome === "elsewhere") return void this.elsewhere.set(sessionId, opensAt);
      this.elsewhere.delete(sessionId);
      tried += 1;
      // A failed warm-up is not remembered: the next pass tries it again.
      if (outcome === "warmed") {
        this.warmed.set(sessionId, opensAt);
        warmed += 1;
      }
    });
    this.inMinute += tried;
    return warmed;
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
