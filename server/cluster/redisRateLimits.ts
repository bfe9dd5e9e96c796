import { keys } from "../../rooms/keys.js";
import { FallbackRateLimits, LocalRateLimits, type RateLimit, type RateLimitStore } from "./rateLimit.js";
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
