import type { RateLimit, RateLimitStore } from "./rateLimit.js";

/** What a lease round trip answers: whole tokens handed to the node, or (none) the milliseconds until one is. */
export interface Lease {
  granted: number;
  wait: number;
}

/**
 * The shared side of a leased budget (Redis in production): one token bucket per key that nodes draw
 * from in chunks. `owed` tokens were already granted by the node on trust and are charged first, even
 * below zero (the member then waits longer); then up to `want` whole tokens are handed out.
 */
export interface BudgetLeases {
  lease(key: string, now: number, owed: number, want: number): Promise<Lease>;
}

interface KeyState {
  /** Tokens leased to this node and not yet spent. */
  credit: number;
  /** Tokens granted on trust, not yet charged to the shared bucket. */
  owed: number;
  /** The shared bucket said it is empty until then: refuse without asking again. */
  refusedUntil: number;
  /** Last take, for forgetting idle keys. */
  seen: number;
  inflight: Promise<void> | null;
}

/**
 * A per-key budget shared by every node, spent locally: each node leases tokens from the shared bucket in
 * chunks and spends them without a round trip; a key this node has not seen for a full refill gets its
 * first take on trust (charged to the shared bucket right after, off the caller's path). When less than half a
 * chunk is left, the next chunk is leased in the background (chunks of 2 or more: a budget leased one token at a
 * time is too small to hold a token away from the other nodes), so a member who keeps within the limit never waits
 * for the shared bucket (only one who spends a chunk faster than one round trip does).
 *
 * Bounds, for `n` nodes: over any interval of `t` seconds a key is granted at most `burst + rate·t + n`
 * takes (each node's one take on trust; its debt is repaid before the key is granted again), and at worst
 * `n · 1.5 · chunk` tokens sit leased on nodes the member no longer uses, which the bucket refills within
 * `1.5 · chunk / rate` seconds.
 */
export class LeasedRateLimits implements RateLimitStore {
  private readonly states = new Map<string, KeyState>();
  private readonly chunk: number;
  private readonly idleMs: number;

  constructor(
    private readonly leases: BudgetLeases,
    limit: RateLimit,
    options: { chunk?: number; maxKeys?: number } = {},
  ) {
    this.chunk = options.chunk ?? Math.max(1, Math.floor(limit.burst / 8));
    this.idleMs = Math.ceil((limit.burst / limit.rate) * 1000);
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  private readonly maxKeys: number;

  /** The answer when this node can give it without a round trip (0 = taken, > 0 = wait), else undefined. */
  tryTake(key: string, now: number): number | undefined {
    let s = this.states.get(key);
    if (s && now - s.seen > this.idleMs && !s.inflight && s.owed === 0) {
      this.states.delete(key);
      s = undefined;
    }
    if (!s) {
      if (this.states.size >= this.maxKeys) this.forgetIdle(now);
      s = { credit: 0, owed: 1, refusedUntil: 0, seen: now, inflight: null };
      this.states.set(key, s);
      this.refill(key, s, now).catch(() => undefined); // a failed charge stays owed and goes with the next lease
      return 0;
    }
    if (now > s.seen) s.seen = now;
    if (s.credit >= 1) {
      s.credit -= 1;
      if (this.chunk >= 2 && s.credit < this.chunk / 2 && !s.inflight && now >= s.refusedUntil)
        this.refill(key, s, now).catch(() => undefined);
      return 0;
    }
    if (now < s.refusedUntil) return Math.ceil(s.refusedUntil - now);
    return undefined;
  }

  async take(key: string, now: number): Promise<number> {
    for (;;) {
      const quick = this.tryTake(key, now);
      if (quick !== undefined) return quick;
      const s = this.states.get(key)!;
      await (s.inflight ?? this.refill(key, s, now));
    }
  }

  private refill(key: string, s: KeyState, now: number): Promise<void> {
    const owed = s.owed;
    s.owed = 0;
    const run = (async () => {
      try {
        const { granted, wait } = await this.leases.lease(key, now, owed, this.chunk);
        s.credit += granted;
        if (granted === 0) s.refusedUntil = Math.max(s.refusedUntil, now + Math.max(1, wait));
      } catch (err) {
        s.owed += owed;
        throw err;
      } finally {
        s.inflight = null;
      }
    })();
    s.inflight = run;
    return run;
  }

  /** Drops keys idle for a full refill (their leased credit is lost, as the bound allows); all if none are. */
  private forgetIdle(now: number): void {
    for (const [key, s] of this.states) if (now - s.seen > this.idleMs && !s.inflight && s.owed === 0) this.states.delete(key);
    if (this.states.size >= this.maxKeys) this.states.clear();
  }
}
