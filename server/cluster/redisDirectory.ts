import type { RoomId } from "../../domain/protocol/envelope.js";
import { handoffMs, type Claim, type RoomDirectory } from "../../rooms/coordination.js";
import { keys } from "../../rooms/keys.js";
import type { RedisClient } from "../redis.js";

/**
 * Extends each lease this node holds. A lease that merely ran out (nobody else took it) is taken again:
 * a busy node's renewal can run late, and dropping its own live room made every in-flight command fail.
 * Only a lease another node holds is lost. (Safe either way: commits are fenced in the database.)
 */
const RENEW = `local lost = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2])
  elseif not owner then redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else table.insert(lost, i) end
end
return lost`;

/**
 * Takes a free lease, or answers who holds it: one round trip, atomic (no lease can run out between the two).
 * Also answers 1 when it took the lease and another node released it lately (KEYS[2], written by RELEASE).
 */
const CLAIM = `local owner = redis.call('GET', KEYS[1])
if owner then return {owner, 0} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local last = redis.call('GET', KEYS[2])
if last and last ~= ARGV[1] then return {ARGV[1], 1} end
return {ARGV[1], 0}`;

/** Compare-and-delete; a lease given up is remembered under KEYS[2] for ARGV[2] ms (see `Claim.handedOver`). */
const RELEASE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Room leases in Redis: a get-or-set script to claim, a compare-and-extend script to renew, compare-and-delete to release. */
export class RedisDirectory implements RoomDirectory {
  constructor(
    private readonly redis: RedisClient,
    readonly leaseMs: number,
  ) {}

  async claim(room: RoomId, node: string): Promise<Claim> {
    const [owner, handedOver] = (await this.redis.eval(CLAIM, {
      keys: [keys.lease(room), keys.handoff(room)],
      arguments: [node, String(this.leaseMs)],
    })) as [string, number];
    return { owner, handedOver: handedOver === 1 };
  }

  async owner(room: RoomId): Promise<string | null> {
    return this.redis.get(keys.lease(room));
  }

  async ownersOf(rooms: readonly RoomId[]): Promise<(string | null)[]> {
    if (rooms.length === 0) return [];
    return this.redis.mGet(rooms.map(keys.lease));
  }

  async renew(rooms: readonly RoomId[], node: string): Promise<RoomId[]> {
    if (rooms.length === 0) return [];
    const lost = (await this.redis.eval(RENEW, { keys: rooms.map(keys.lease), arguments: [node, String(this.leaseMs)] })) as number[];
    return lost.map((i) => rooms[i - 1]!);
  }

  async release(room: RoomId, node: string): Promise<void> {
    await this.redis.eval(RELEASE, { keys: [keys.lease(room), keys.handoff(room)], arguments: [node, String(handoffMs(this.leaseMs))] });
  }
}
