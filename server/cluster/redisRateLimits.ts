import { keys } from "../../rooms/keys.js";
import { FallbackRateLimits, LocalRateLimits, type RateLimit, type RateLimitStore } from "./rateLimit.js";
import { LeasedRateLimits, type BudgetLeases, type Lease } from "./leasedRateLimits.js";
import type { Logger } from "../logger.js";
import type { RedisClient } from "../redis.js";
import { CallBatcher } from "../../rooms/batcher.js";

// One atomic refill-and-take per key, in order (a key may appear twice: both takes count); each key
// expires once its bucket would be full again. ARGV: rate, burst, ttl, then one `now` per key.
const TAKE = `local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local waits = {}
for i, key in ipairs(KEYS) do
  local now = tonumber(ARGV[3 + i])
  local v = redis.call('HMGET', key, 't', 'l')
  local tokens = tonumber(v[1]) or burst
  local last = tonumber(v[2]) or now
  if now > last then
    tokens = math.min(burst, tokens + (now - last) / 1000 * rate)
    last = now
  end
  local wait = 0
  if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
  redis.call('HSET', key, 't', tostring(tokens), 'l', tostring(last))
  redis.call('PEXPIRE', key, ARGV[3])
  waits[i] = wait
end
return waits`;

/**
 * Token buckets in Redis, so every node spends from the same per-user budget. Takes made while a
 * round trip runs go to Redis together in the next one (one script call per batch, not per command).
 */
export class RedisRateLimits implements RateLimitStore {
  private readonly ttlMs: number;
  private readonly takes: CallBatcher<{ key: string; now: number }, number>;

  constructor(
    private readonly redis: RedisClient,
    private readonly scope: string,
    private readonly limit: RateLimit,
  ) {
    this.ttlMs = Math.ceil((limit.burst / limit.rate) * 1000) + 1_000;
    this.takes = new CallBatcher(async (batch) => {
      const waits = (await this.redis.eval(TAKE, {
        keys: batch.map((t) => keys.rateLimit(this.scope, t.key)),
        arguments: [String(this.limit.rate), String(this.limit.burst), String(this.ttlMs), ...batch.map((t) => String(Math.floor(t.now)))],
      })) as number[];
      return waits.map(Number);
    });
  }

  async take(key: string, now: number): Promise<number> {
    // A disconnected client would queue the call until Redis is back; fail fast so the caller falls back.
    if (!this.redis.isReady) throw new Error("Redis is not connected");
    return this.takes.call({ key, now });
  }
}

/**
 * Rate limits by scope: with Redis every node spends from one budget per key; if Redis fails, each node limits on
 * its own (and says so). Without Redis, per node.
 */
export function sharedRateLimits(redis: RedisClient | undefined, log: Logger): (scope: string, limit: RateLimit) => RateLimitStore {
  return (scope, limit) =>
    redis
      ? new FallbackRateLimits(new RedisRateLimits(redis, scope, limit), new LocalRateLimits(limit), (err) =>
          log.warn({ err: String(err), scope }, "shared rate limits unavailable — limiting per node"),
        )
      : new LocalRateLimits(limit);
}

// One atomic refill, charge and lease per key, in order. ARGV: rate, burst, ttl, then `now`, owed, want per key.
// The charge may leave the bucket below zero (down to -burst): tokens granted on trust are repaid by waiting.
const LEASE = `local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local now = tonumber(ARGV[1 + 3 * i])
  local owed = tonumber(ARGV[2 + 3 * i])
  local want = tonumber(ARGV[3 + 3 * i])
  local v = redis.call('HMGET', key, 't', 'l')
  local tokens = tonumber(v[1]) or burst
  local last = tonumber(v[2]) or now
  if now > last then
    tokens = math.min(burst, tokens + (now - last) / 1000 * rate)
    last = now
  end
  tokens = math.max(-burst, tokens - owed)
  local granted = 0
  local wait = 0
  if tokens >= 1 then granted = math.min(want, math.floor(tokens)); tokens = tokens - granted
  else wait = math.ceil((1 - tokens) / rate * 1000) end
  redis.call('HSET', key, 't', tostring(tokens), 'l', tostring(last))
  redis.call('PEXPIRE', key, ARGV[3])
  out[2 * i - 1] = granted
  out[2 * i] = wait
end
return out`;

/**
 * The shared buckets that {@link LeasedRateLimits} nodes lease from: the same keys and refill as
 * {@link RedisRateLimits}. Leases go after the turn that asked them (with every other lease of that turn, or of the
 * round trip running): a member's first take of a quiet period is granted on trust and its charge leased right after,
 * and from the microtask queue the charge (its script call built and encoded) ran ahead of the very command it let
 * through — before its access check, room and commit statement. A take that must wait for a lease waits one turn more.
 */
export class RedisBudgetLeases implements BudgetLeases {
  private readonly ttlMs: number;
  private readonly leases: CallBatcher<{ key: string; now: number; owed: number; want: number }, Lease>;

  constructor(
    private readonly redis: RedisClient,
    private readonly scope: string,
    private readonly limit: RateLimit,
  ) {
    // A debt of a full burst takes twice the refill time to become a full bucket again.
    this.ttlMs = Math.ceil(((2 * limit.burst) / limit.rate) * 1000) + 1_000;
    this.leases = new CallBatcher(
      async (batch) => {
        const out = (await this.redis.eval(LEASE, {
          keys: batch.map((t) => keys.rateLimit(this.scope, t.key)),
          arguments: [
            String(this.limit.rate),
            String(this.limit.burst),
            String(this.ttlMs),
            ...batch.flatMap((t) => [String(Math.floor(t.now)), String(t.owed), String(t.want)]),
          ],
        })) as number[];
        return batch.map((_, i) => ({ granted: Number(out[2 * i]), wait: Number(out[2 * i + 1]) }));
      },
      500,
      true, // after the turn: a lease never runs ahead of the command it let through
    );
  }

  async lease(key: string, now: number, owed: number, want: number): Promise<Lease> {
    if (!this.redis.isReady) throw new Error("Redis is not connected");
    return this.leases.call({ key, now, owed, want });
  }
}

/**
 * Like {@link sharedRateLimits}, but each node spends from leases of the shared budget ({@link LeasedRateLimits}: no
 * Redis round trip per take); if Redis fails, each node limits on its own.
 */
export function leasedRateLimits(redis: RedisClient | undefined, log: Logger): (scope: string, limit: RateLimit) => RateLimitStore {
  return (scope, limit) =>
    redis
      ? new FallbackRateLimits(new LeasedRateLimits(new RedisBudgetLeases(redis, scope, limit), limit), new LocalRateLimits(limit), (err) =>
          log.warn({ err: String(err), scope }, "shared rate limits unavailable — limiting per node"),
        )
      : new LocalRateLimits(limit);
}
