/**
 * What the start-up warm-up's rooms run on, shaped as the node's own (issue 15: a fresh server's booking storm spent
 * ~0.16 ms per answer more than a warm one on other threads — TurboFan compiling the storm's hot functions — and its
 * optimised code was thrown away on the first real objects when the warm-up's had other shapes, "wrong map"):
 * a room runtime with the keys of `server/roomsRuntime.ts`'s (plus the registry's `tell` and `warm`), and an
 * {@link AccessControl} over reads that answer from memory for the synthetic gym, so the access check of a storm's
 * first commands (batched session-and-membership reads, then memberships) runs with answers that let members in.
 * Nothing here reads or writes the database.
 */
import { randomUUID } from "node:crypto";
import type { AccessReads } from "../app/access/accessReads.js";
import { refuse } from "../domain/protocol/acks.js";
import { plainEnvelope, type Ack, type RoomId } from "../domain/protocol/envelope.js";
import type { Broadcaster, RoomMessage, RoomRuntime } from "../rooms/ports.js";
import type { ResidentStandings } from "../rooms/residentStandings.js";
import { ConfigVariables } from "./config.js";
import { AccessControl } from "./realtime/access.js";
import { checkedRoomCommand } from "./realtime/checkedRoomCommand.js";

/** The node's group-commit and fan-out settings (server/config.ts), so the rooms batch as the node's do. */
export interface WarmSettings {
  flushMaxBatch: number;
  flushMaxDelayMs: number;
  fanoutHoldUsPerWatcher: number;
}

/** The defaults of server/config.ts (a warm-up run without the node's config). */
export const defaultWarmSettings: WarmSettings = {
  flushMaxBatch: ConfigVariables.FLUSH_MAX_BATCH.schema.parse(undefined),
  flushMaxDelayMs: ConfigVariables.FLUSH_MAX_DELAY_MS.schema.parse(undefined),
  fanoutHoldUsPerWatcher: ConfigVariables.FANOUT_HOLD_US_PER_WATCHER.schema.parse(undefined),
};

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A room runtime with the node's keys in the node's order (see `createRooms` and `RoomRegistry`'s constructor):
 * deltas and resets to `out`, notes to `tell`, nothing watched (`watched` says whether to build a view's deltas).
 */
export function warmRuntime(
  settings: WarmSettings,
  out: Pick<Broadcaster, "delta" | "reset">,
  watched: (channel: string) => boolean,
  tell: (room: RoomId, message: RoomMessage) => void,
): RoomRuntime {
  const runtime: Omit<RoomRuntime, "tell"> = {
    now: Date.now,
    newId: randomUUID,
    log: silent,
    broadcaster: {
      delta: (channel, delta) => void out.delta(channel, delta),
      reset: (channel, reset) => void out.reset(channel, reset),
      revoke: () => undefined,
      watched,
      watchers: (channel: string) => (watched(channel) ? 1 : 0),
    },
    flushMaxBatch: settings.flushMaxBatch,
    flushMaxDelayMs: settings.flushMaxDelayMs,
    ringSize: 256,
    fanoutHoldUsPerWatcher: settings.fanoutHoldUsPerWatcher,
    idempotencyWindowMs: 24 * 3_600_000,
    onFlush: () => undefined,
    onFlushFailure: () => undefined,
  };
  return { ...runtime, tell, warm: () => undefined };
}

/**
 * An access check whose reads answer from memory: every asked session is `gymId`'s, every asked user an active
 * member there. Rows as the database's reads give them (keys in their order); over `resident` as the node's is.
 */
export function warmAccess(gymId: string, resident?: ResidentStandings): AccessControl {
  const reads: AccessReads = {
    sessionGyms: async (ids) => ids.map((id) => ({ id: id.toLowerCase(), gymId })),
    sessionMemberships: async (asked) =>
      asked.map(({ sessionId, userId }) => ({
        sessionId: sessionId.toLowerCase(),
        userId,
        gymId,
        membership: { role: "member" as const, status: "active" as const },
      })),
    memberships: async (_gym, userIds) => userIds.map((userId) => ({ userId, role: "member" as const, status: "active" as const })),
  };
  return new AccessControl(reads, resident);
}

/**
 * The room command `socketProtocol.ts`'s command handler makes of a decoded `command` argument (the envelope's fast
 * check, then the very checks it runs: `checkedRoomCommand`), or its refusal. Without the rate limit and the metrics.
 */
export async function commandOf(access: AccessControl, userId: string, raw: unknown): Promise<RoomMessage | Ack<never>> {
  const envelope = plainEnvelope(raw);
  if (!envelope) return refuse("VALIDATION_FAILED", "warm-up: not a command envelope");
  const { commandId, type, payload } = envelope;
  const room = envelope.room.toLowerCase() as RoomId;
  const valid = await checkedRoomCommand(access, userId, room, type, payload);
  if (!valid.ok) return valid;
  return { kind: "command", caller: valid.caller, commandId, type, payload: valid.payload, receivedAt: Date.now() };
}
