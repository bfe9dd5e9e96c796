import { z } from "zod";
import type { FeedCard } from "./feed.js";
import type { ErrorCode } from "../errors.js";
import type { PatchOp } from "./patch.js";
import type { ServerHello } from "./version.js";

/**
 * The wire protocol around every room. Socket.IO events:
 *
 * | event        | direction | payload                    | ack                          |
 * |--------------|-----------|----------------------------|------------------------------|
 * | `room:join`  | c → s     | {@link JoinRequest}        | {@link Ack}<{@link JoinResult}> |
 * | `room:leave` | c → s     | {@link LeaveRequest}       | {@link Ack}<null>            |
 * | `command`    | c → s     | {@link CommandEnvelope}    | {@link Ack}<unknown>         |
 * | `room:delta` | s → c     | {@link RoomDelta}          | —                            |
 * | `room:reset` | s → c     | {@link RoomReset}          | — (rejoin for a snapshot)    |
 * | `auth:expired` | s → c   | `{ message }`              | — (then disconnected)        |
 *
 * @example
 * const ack = await socket.emitWithAck("command", { commandId: crypto.randomUUID(), room: "class:…", type: "class:book", payload: { sessionId } });
 * if (!ack.ok) showError(ack.error.message);
 */

const UuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = z.string().regex(UuidPattern, "must be a UUID");

/** Whether `value` passes {@link UuidSchema}, without a zod parse (no result or issue objects): for per-command checks. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UuidPattern.test(value);
}

const RoomIdPattern = /^(gym|class|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `gym:<uuid>`, `class:<uuid>` or `user:<uuid>`. */
export const RoomIdSchema = z.string().max(64).regex(RoomIdPattern, "must be gym:<id>, class:<id> or user:<id>");
export type RoomId = z.infer<typeof RoomIdSchema>;
export type RoomKind = "gym" | "class" | "user";

/** Splits a room id into its kind and entity id. */
export function parseRoomId(room: RoomId): { kind: RoomKind; id: string } {
  const i = room.indexOf(":");
  return { kind: room.slice(0, i) as RoomKind, id: room.slice(i + 1) };
}

export const JoinRequestSchema = z.strictObject({
  room: RoomIdSchema,
  /** Last sequence number this client applied; the server answers with just the missed deltas when it still has them. */
  since: z.number().int().nonnegative().optional(),
});
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const LeaveRequestSchema = z.strictObject({ room: RoomIdSchema });
export type LeaveRequest = z.infer<typeof LeaveRequestSchema>;

/**
 * `auth:renew`: a fresh access token for the same user, swapped in place — the socket keeps its rooms and misses no
 * delta. Send it before the current token expires (the apps renew at ~80 % of its lifetime).
 * @example socket.emit("auth:renew", { token }, (ack) => ack.ok && console.log(ack.result.expiresAt))
 */
export const AuthRenewSchema = z.strictObject({ token: z.string().min(1).max(8192) });
export type AuthRenew = z.infer<typeof AuthRenewSchema>;

const CommandIdPattern = /^[A-Za-z0-9_-]+$/;
export const CommandEnvelopeSchema = z.strictObject({
  /** Client-generated id; a retry with the same id returns the first result and is never applied twice. */
  commandId: z.string().min(8).max(64).regex(CommandIdPattern, "letters, digits, - and _ only"),
  room: RoomIdSchema,
  type: z.string().min(1).max(64),
  payload: z.unknown(),
});
export type CommandEnvelope = z.infer<typeof CommandEnvelopeSchema>;

const EnvelopeKeys = new Set(["commandId", "room", "type", "payload"]);

/**
 * The command itself when {@link CommandEnvelopeSchema} would accept it, checked without a zod parse (no context,
 * result or copy per command); null when it might not — then parse with the schema for its exact issues.
 * Accepts only what the schema accepts (a test holds it to that).
 */
export function plainEnvelope(value: unknown): CommandEnvelope | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  for (const key in v) if (!EnvelopeKeys.has(key)) return null;
  // The schema wants the key even when its value is undefined (`payload: z.unknown()` is not optional).
  if (!Object.hasOwn(v, "payload")) return null;
  const { commandId, room, type } = v;
  if (typeof commandId !== "string" || commandId.length < 8 || commandId.length > 64 || !CommandIdPattern.test(commandId)) return null;
  if (typeof room !== "string" || room.length > 64 || !RoomIdPattern.test(room)) return null;
  if (typeof type !== "string" || type.length < 1 || type.length > 64) return null;
  return v as CommandEnvelope;
}

/** Why a command or join failed: a stable `code`, words for people, and the failing fields for forms. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
  /** For RATE_LIMITED and retryable errors: wait this long before retrying. */
  retryAfterMs?: number;
}

/** Every request answers through its ack with exactly this shape. */
export type Ack<T> = { ok: true; result: T } | { ok: false; error: ErrorBody };

/** Who a projection is for: staff see full rosters; the public sees counts and visible first names. */
export type Audience = "staff" | "public" | "owner";

/**
 * Which server runs a room: `hint` is opaque (equal hints = same server; it names no host), `url` is that
 * server's public URL when it has one configured. A client may reconnect there to save a hop.
 */
export interface OwnerHint {
  hint: string;
  url?: string;
}

/** Join answer: either a full snapshot or the deltas the client missed since `since`; `owner` says which server runs the room. */
export type JoinResult<V = unknown> =
  | { room: RoomId; audience: Audience; seq: number; snapshot: V; owner?: OwnerHint }
  | { room: RoomId; audience: Audience; seq: number; deltas: RoomDelta[]; owner?: OwnerHint };

/** One ordered change of a room's projection. `seq` increases by exactly 1; a gap means: rejoin with `since`. */
export interface RoomDelta {
  room: RoomId;
  seq: number;
  ops: PatchOp[];
}

/** The server dropped this watcher's stream (slow consumer, lost ownership, access revoked): rejoin for a snapshot. */
export interface RoomReset {
  room: RoomId;
  reason: "slow_consumer" | "room_restarted" | "access_revoked" | "room_closed";
  /** Words for people (with `access_revoked`): what changed. A rejoin then answers with what the watcher may still see. */
  message?: string;
}

/** Typed Socket.IO event maps (server ← client). */
export interface ClientToServerEvents {
  "room:join": (req: JoinRequest, ack: (res: Ack<JoinResult>) => void) => void;
  "room:leave": (req: LeaveRequest, ack: (res: Ack<null>) => void) => void;
  command: (cmd: CommandEnvelope, ack: (res: Ack<unknown>) => void) => void;
  "auth:renew": (req: AuthRenew, ack: (res: Ack<{ expiresAt: number }>) => void) => void;
}

/** Typed Socket.IO event maps (server → client). */
export interface ServerToClientEvents {
  /** First frame of every connection: the protocol version the server speaks (domain/protocol/version.ts). */
  "server:hello": (hello: ServerHello) => void;
  "room:delta": (delta: RoomDelta) => void;
  "room:reset": (reset: RoomReset) => void;
  /** The token expired: the server disconnects right after this. Sign in again. */
  "auth:expired": (info: { message: string }) => void;
  /** A new feed event this viewer may see, in a gym whose feed they watch (`feed:watch`). */
  "feed:posted": (post: { gymId: string; card: FeedCard }) => void;
  /** A gym leaderboard this socket watches changed (a check-in, logged workout or class result landed): ask `gym:leaderboard` again. No data. */
  "board:changed": (change: { gymId: string; boards: ("attendance" | "volume" | "benchmark")[] }) => void;
  /** A lead of a gym whose pipeline this socket watches (`gym:leads { watch: true }`) changed: ask `gym:leads` again. No data. */
  "leads:changed": (change: { gymId: string }) => void;
  /** A visit of a gym whose owner report this socket watches (`gym:ownerReport { watch: true }`) committed: ask again. No data. */
  "report:changed": (change: { gymId: string }) => void;
}

export { uuid as UuidSchema };
