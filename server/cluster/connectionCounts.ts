/**
 * Open connections per key (sockets per user, sockets per address), bounded: the coordination port with an
 * in-process implementation and a Redis one, so a user's sockets count on every node together.
 */
import { randomUUID } from "node:crypto";
import { keys } from "../../rooms/keys.js";
import type { RedisClient } from "../redis.js";

/** Counts open connections per key, refusing one past `max`. */
export interface ConnectionCounts {
  /** Counts one more connection under `key` unless `max` are open; answers whether it was counted. */
  acquire(key: string, max: number): Promise<boolean>;
  /** A counted connection closed. */
  release(key: string): void;
  close(): void;
}

/** Counts in this process only. */
export class LocalConnectionCounts implements ConnectionCounts {
  private readonly open = new Map<string, number>();

  async acquire(key: string, max: number): Promise<boolean> {
    return this.acquireNow(key, max);
  }

  acquireNow(key: string, max: number): boolean {
    const n = this.open.get(key) ?? 0;
    if (n >= max) return false;
    this.open.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = (this.open.get(key) ?? 0) - 1;
    if (n > 0) this.open.set(key, n);
    else this.open.delete(key);
  }

  close(): void {
    this.open.clear();
  }
}

// KEYS[1]: the key's hash of counts per process. ARGV: this process, max, alive-key prefix, ttl. Counts of processes
// whose alive key expired (crashed, killed) are dropped before counting, so a dead node never holds users out.
const ACQUIRE = `local fields = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #fields, 2 do
  local process = fields[i]
  if process == ARGV[1] or redis.call('EXISTS', ARGV[3] .. process) == 1 then total = total + tonumber(fields[i + 1])
  else redis.call('HDEL', KEYS[1], process) end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

const RELEASE = `local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n`;

/**
 * Counts in Redis, per key across every node: each process adds to its own field and keeps an alive key fresh.
 * Never blocks anyone when Redis is down: a connection it cannot count is let in (uncounted) and logged.
 * Uses keys outside KEYS (the alive keys): fine on one Redis, not on Redis Cluster.
 */
export class RedisConnectionCounts implements ConnectionCounts {
  /** This process (a restart with the same NODE_ID must not inherit the old counts). */
  private readonly instance: string;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly prefix = keys.processAlive("");

  constructor(
    private readonly redis: RedisClient,
    private readonly scope: string,
    nodeId: string,
    private readonly onError: (err: unknown) => void,
    private readonly aliveMs = 15_000,
  ) {
    this.instance = `${nodeId}:${randomUUID()}`;
    const beat = () => void this.redis.set(keys.processAlive(this.instance), "1", { PX: this.aliveMs }).catch(this.onError);
    beat();
    this.heartbeat = setInterval(beat, this.aliveMs / 3);
    this.heartbeat.unref?.();
  }

  async acquire(key: string, max: number): Promise<boolean> {
    if (!this.redis.isReady) return true;
    try {
      const counted = await this.redis.eval(ACQUIRE, {
        keys: [keys.connections(this.scope, key)],
        arguments: [this.instance, String(max), this.prefix, String(86_400_000)],
      });
      return Number(counted) === 1;
    } catch (err) {
      this.onError(err);
      return true;
    }
  }

  release(key: string): void {
    if (!this.redis.isReady) return;
    this.redis.eval(RELEASE, { keys: [keys.connections(this.scope, key)], arguments: [this.instance] }).catch(this.onError);
  }

  close(): void {
    clearInterval(this.heartbeat);
    // Other nodes stop counting this process's sockets at once, not when the alive key would expire.
    if (this.redis.isReady) this.redis.del(keys.processAlive(this.instance)).catch(this.onError);
  }
}
