import type { FeePolicy } from "../domain/class/state.js";
import type { CatalogChange } from "../domain/schedule/catalog.js";
import type { CheckInStreamItem, GymKpis, ScheduleEntry } from "../domain/views/gymView.js";
import type { GymPolicy, MembershipStatus } from "../domain/model.js";
import type { Notice } from "../domain/notices/inbox.js";
import type { MyBooking, MyWaitlistPlace } from "../domain/views/userView.js";
import type { Ack, RoomDelta, RoomId, RoomReset } from "../domain/protocol/envelope.js";

/** Minimal structured logger the rooms need (pino satisfies it). */
export interface RoomLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Sends deltas to every watcher of a channel, on every node (Socket.IO channels through the adapter). */
export interface Broadcaster {
  delta(channel: string, delta: RoomDelta): void;
  reset(channel: string, reset: RoomReset): void;
  /**
   * False only when certainly no socket on any node watches the channel: the room then builds no delta
   * for it (the next joiner gets a snapshot). Absent, or unsure (e.g. across nodes): true.
   */
  watched?(channel: string): boolean;
  /** Sockets on this node watching the channel: what one delta to it costs this node in socket writes (absent: unknown). */
  watchers?(channel: string): number;
  /**
   * Removes one user's sockets from every audience of `room`, on every node, and tells them why (`access_revoked`).
   * Called from the room's mailbox, so every delta the room publishes after it skips those sockets.
   */
  revoke(room: RoomId, userId: string): void;
}

/** A command's first answer, kept so that a retry with the same id gets it again. */
export interface ProcessedRecord {
  room: RoomId;
  userId: string;
  commandId: string;
  gymId: string | null;
  type: string;
  response: Ack<unknown>;
  createdAt: number;
  /** The caller's role in the gym when it sent the command (for the audit row; not stored with the record). */
  role?: string | null;
}

/** The head of a room's audit chain: its last row's `seq` and `hash` (0 and 64 zeros when empty). */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Where a room's durable history stands: the version its state was read at (every commit compare-and-sets it
 * and moves it on) and the head of its audit chain (the room appends its own rows; nobody else writes them).
 */
export interface RoomMark {
  version: number;
  audit: AuditHead;
}

/** What a room learns when it loads: its state, the version it was read at, its audit head and the commands it already answered. */
export interface Loaded<S> {
  state: S;
  /**
   * The room's version when `state` was read (read with it, in one statement; nothing is written to load).
   * The next commit compare-and-sets it: a commit by anyone else since then makes that commit fail.
   */
  fence: number;
  /** Head of the room's audit chain, read with the state (absent: the room keeps no audit chain). */
  audit?: AuditHead;
  processed: ProcessedRecord[];
  /** `state` answers views but not decisions yet: the room completes it before its first message (`RoomActor.complete`). */
  incomplete?: true;
}

/**
 * Thrown by a store when the room's version moved since it was read: someone else committed. A room that
 * has not committed since it loaded reloads and decides its batch again; one that has is a stale owner.
 */
export class VersionConflict extends Error {
  constructor(readonly room: RoomId) {
    super(`room ${room} was committed by another owner`);
  }
}

/** Thrown when the room's version is stale after this owner already committed: another owner took over; stop at once. */
export class StaleOwner extends Error {
  constructor(readonly room: RoomId) {
    super(`room ${room} has a newer owner`);
  }
}

/**
 * Thrown by a store when a commit's guard refused what a member's standing allowed (their credits or
 * weekly bookings changed elsewhere): the batch is not stored, and the room reads those members again.
 */
export class StandingConflict extends Error {
  constructor(
    readonly gymId: string,
    readonly memberIds: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by a store or handler when a dependency (database, Redis) is unavailable: answer retryably. */
export class Unavailable extends Error {}

/** Services every room actor gets: clock, ids, broadcasting, cross-room messages, limits, metrics hooks. */
export interface RoomRuntime {
  now(): number;
  newId(): string;
  log: RoomLog;
  broadcaster: Broadcaster;
  /** Fire-and-forget message to another room, delivered only if that room is live on this node. */
  tell(room: RoomId, message: RoomMessage): void;
  /** Fire-and-forget: starts a room that is not live anywhere (wherever the router places it), so its first command finds it loaded. */
  warm?(room: RoomId): void;
  flushMaxBatch: number;
  flushMaxDelayMs: number;
  /** Deltas kept per audience for resuming watchers. */
  ringSize: number;
  /**
   * A watcher room publishes at most once per this many µs × its watchers on this node (commits in between go out as
   * one delta); 0 or absent: on the next turn, always (see `RoomViews`).
   */
  fanoutHoldUsPerWatcher?: number;
  /** How long a processed command id is remembered (retries after this are new commands). */
  idempotencyWindowMs: number;
  onFlush(batchSize: number): void;
  onFlushFailure(): void;
}

/** Who sends a command, as the transport established it from the token and the database. */
export interface Caller {
  userId: string;
  /** The caller's membership in the room's gym, or null (then only `user:` rooms of themselves are reachable). */
  membership: {
    gymId: string;
    role: "owner" | "admin" | "coach" | "front_desk" | "member";
    status: "pending" | "active" | "frozen" | "past_due" | "cancelled";
  } | null;
}

/** A message in a room's mailbox. Commands come from clients; notes come from other rooms or timers. */
export type RoomMessage =
  | {
      kind: "command";
      caller: Caller;
      commandId: string;
      type: string;
      payload: unknown;
      receivedAt: number;
      /** Set only by the gym room for a check-in an offline desk sends late: decide as of `asOf` with the membership's status then, record both clocks. */
      offline?: { asOf: number; deviceAt: number; receivedAt: number; status?: MembershipStatus };
    }
  | { kind: "note"; note: RoomNote };

/** Notes between rooms (and from timers and the cluster), one shape per type. */
export type RoomNote =
  /**
   * A class room's timer: expire offers, close after the end. `keepUntil`: a warm-up ahead of the class's booking
   * window opening (server/jobs/windowWarmJob.ts) — the room and its gym's resident standings stay in memory until then, even idle.
   */
  | { type: "tick"; keepUntil?: number }
  /** Resident standings → class room on the same node: these members (`null`: any) may have changed; refresh the waiting ones. */
  | { type: "standings"; memberIds: readonly string[] | null }
  /** The user's watch of this room ends (membership or role changed, account suspended or deleted). */
  | { type: "revoke"; userId: string }
  /** Class → user room: the member's booking changed. */
  | { type: "booking"; booking: MyBooking }
  /** Class → user room: the member's waitlist place changed. */
  | { type: "waitlist"; place: MyWaitlistPlace }
  /** Class → user room: something the member must be told (promotion, cancellation). */
  | { type: "notice"; notice: Notice }
  /** Staff → user room: the member's plan, credits, status, charges or signatures changed; their screens read them again. */
  | { type: "account"; gymId: string }
  /** Class → gym room: a class check-in for the desk's stream. */
  | { type: "checkin"; item: CheckInStreamItem }
  /** Class → gym room: the session's schedule entry and its share of today's KPIs. */
  | {
      type: "session";
      entry: ScheduleEntry;
      kpis: Pick<GymKpis, "bookings" | "noShows" | "feesCents">;
      /** Bookings whose state changed, for the desks' saved rosters (`null`: no longer live). */
      roster?: { memberId: string; status: "booked" | "checked_in" | null }[];
    }
  /** A member's status, name or membership changed (a freeze, a role or status change): the gym room tells its desks. */
  | { type: "member"; memberId: string }
  /** A schedule entry created or changed. */
  | { type: "schedule"; entry: ScheduleEntry }
  /** A gym's settings changed (staff saved them): classes scheduled from now on copy them. */
  | { type: "policy"; policy: GymPolicy }
  /**
   * A gym's fees or currency changed (staff saved them), told to every class room on every node: a class that has not
   * closed charges them from now on; a fee already decided keeps its amount.
   */
  | { type: "fees"; gymId: string; feePolicy: FeePolicy }
  /** A gym's details, a location or a class type changed (staff saved them): the gym room shows it at once. */
  | { type: "catalog"; change: CatalogChange }
  /** Changes nothing: starts (warms) a room, e.g. in bench probes and router tests. */
  | { type: "warm" };

/**
 * The note that revokes a user's watch of a room (membership or role changed, account suspended or deleted).
 * @example registry.send(room, revokeNote(userId))
 */
export const revokeNote = (userId: string): RoomMessage => ({ kind: "note", note: { type: "revoke", userId } });
