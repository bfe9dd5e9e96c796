import type { RoomId } from "../../domain/protocol/envelope.js";
import type { RoomDirectory } from "../../rooms/coordination.js";
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

/** Takes a free lease, or answers who holds it: one round trip, atomic (no lease can run out between the two). */
const CLAIM = `local owner = redis.call('GET', KEYS[1])
if owner then return owner end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Room leases in Redis: a get-or-set script to claim, a compare-and-extend script to renew, compare-and-delete to release. */
export class RedisDirectory implements RoomDirectory {
  constructor(
    private readonly redis: RedisClient,
    readonly leaseMs: number,
  ) {}

  async claim(room: RoomId, node: string): Promise<string> {
    return (await this.redis.eval(CLAIM, { keys: [keys.lease(room)], arguments: [node, String(this.leaseMs)] })) as string;
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
    await this.redis.eval(RELEASE, { keys: [keys.lease(room)], arguments: [node] });
  }
}
