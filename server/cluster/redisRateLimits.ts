import { keys } from "../../rooms/keys.js";
import type { RateLimit, RateLimitStore } from "../realtime/rateLimit.js";
import type { RedisClient } from "../redis.js";

// One atomic refill-and-take per call; the key expires once the bucket would be full again.
const TAKE = `local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 't', 'l')
local tokens = tonumber(v[1]) or burst
local last = tonumber(v[2]) or now
if now > last then
  tokens = math.min(burst, tokens + (now - last) / 1000 * rate)
  last = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'l', tostring(last))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return wait`;

/** Token buckets in Redis, so every node spends from the same per-user budget. */
export class RedisRateLimits implements RateLimitStore {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly scope: string,
    private readonly limit: RateLimit,
  ) {
    this.ttlMs = Math.ceil((limit.burst / limit.rate) * 1000) + 1_000;
  }

  async take(key: string, now: number): Promise<number> {
    // A disconnected client would queue the call until Redis is back; fail fast so the caller falls back.
    if (!this.redis.isReady) throw new Error("Redis is not connected");
    const wait = await this.redis.eval(TAKE, {
      keys: [keys.rateLimit(this.scope, key)],
      arguments: [String(this.limit.rate), String(this.limit.burst), String(Math.floor(now)), String(this.ttlMs)],
    });
    return Number(wait);
  }
}
