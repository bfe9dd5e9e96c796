/** A token bucket: `rate` tokens per second, bursts up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token; returns 0 when allowed, otherwise the milliseconds to wait. */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.rate);
    this.last = Math.max(this.last, now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/** The budget of one limit: `rate` tokens per second, bursts up to `burst`. */
export interface RateLimit {
  rate: number;
  burst: number;
}

/**
 * Per-key token buckets (the per-user command budget), shared by every node when the store is shared.
 * Answers 0 when a token was taken, otherwise the milliseconds until one is available.
 */
export interface RateLimitStore {
  take(key: string, now: number): Promise<number>;
  /** The same answer when the store can give it at once from this process (no round trip), else undefined. */
  tryTake?(key: string, now: number): number | undefined;
}

/** Buckets per key in this process, dropped when too many so memory stays bounded. */
export class LocalRateLimits implements RateLimitStore {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limit: RateLimit) {}

  async take(key: string, now: number): Promise<number> {
    return this.takeNow(key, now);
  }

  tryTake(key: string, now: number): number {
    return this.takeNow(key, now);
  }

  /** Synchronous form, for the fallback path. */
  takeNow(key: string, now: number): number {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      b = new TokenBucket(this.limit.rate, this.limit.burst, now);
      this.buckets.set(key, b);
    }
    return b.take(now);
  }
}

/**
 * A shared store that never blocks users when it is down: an error or an answer later than `timeoutMs`
 * falls back to this node's own buckets (limits then hold per node instead of cluster-wide).
 */
export class FallbackRateLimits implements RateLimitStore {
  private lastWarned = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly shared: RateLimitStore,
    private readonly local: LocalRateLimits,
    private readonly onFallback: (err: unknown) => void,
    private readonly timeoutMs = 250,
  ) {}

  tryTake(key: string, now: number): number | undefined {
    try {
      return this.shared.tryTake?.(key, now);
    } catch {
      return undefined;
    }
  }

  async take(key: string, now: number): Promise<number> {
    // A local answer (a leased budget) needs no deadline timer.
    const quick = this.tryTake(key, now);
    if (quick !== undefined) return quick;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.shared.take(key, now),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`shared rate limit store did not answer in ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (err) {
      if (now - this.lastWarned > 10_000) {
        this.lastWarned = now;
        this.onFallback(err);
      }
      return this.local.takeNow(key, now);
    } finally {
      clearTimeout(timer);
    }
  }
}
