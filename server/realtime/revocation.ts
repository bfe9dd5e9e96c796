import type { Server as IoServer } from "socket.io";
import type { RevocationReads, TokenState } from "../../app/access/revocationReads.js";
import { isUuid, parseRoomId, type RoomId } from "../../domain/protocol/envelope.js";
import { AdminRoles, SalesRoles } from "../../domain/roles.js";
import { Batcher } from "../../rooms/batcher.js";
import { keys } from "../../rooms/keys.js";
import { revokeNote } from "../../rooms/ports.js";
import type { RoomRegistry } from "../../rooms/RoomRegistry.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { RevocationCheck } from "../auth.js";
import type { Logger } from "../logger.js";
import type { AccessControl } from "./access.js";
import { channelOf, leaveRoom, watchedRooms, type SpotterSocket } from "./socketState.js";

/**
 * What changed for a user, announced to every node: access in one gym (`gymId`; membership, role, suspension) or
 * in all (null; sign out everywhere, deletion), and — when tokens were revoked — the instant every older token stopped working.
 */
export interface Revocation {
  userId: string;
  gymId: string | null;
  validAfter: number | null;
  /** The account was erased: no token of it works again. */
  deleted: boolean;
  /** Sign-in sessions that ended (sign out, "sign out everywhere", a replayed refresh token): their tokens stop working. */
  sessionIds?: readonly string[];
}

export interface RevocationDeps {
  io: IoServer;
  /** Token revocations and ended sessions, as stored. */
  reads: RevocationReads;
  access: AccessControl;
  registry: RoomRegistry;
  router: RoomRouter;
  log: Logger;
  now: () => number;
  /** With Redis: announcements go to every node through the Socket.IO adapter (ordered with the rooms' deltas). */
  clustered: boolean;
}

const REVOKED_WORDS = "Your access to this gym changed — what you see now follows your new access.";
const SIGNED_OUT_WORDS = "You were signed out on every device — sign in again.";
const SESSION_ENDED_WORDS = "You were signed out on this device — sign in again.";
const DELETED_WORDS = "This account was deleted at your request — it can no longer be used.";
/** How long after a revocation the sweep re-checks the user's remaining watches (a join that raced the revocation). */
const RECHECK_MS = 5_000;
/** Bus messages can be lost: the sweep also reads revocations from the database, this far back. */
const POLL_OVERLAP_MS = 5_000;

/**
 * Revocation on this node: "tokens valid after" per user (checked at connect and by the 1 s sweep), and removal of a
 * user's sockets from rooms and channels they may no longer watch. A room's removal is a note in its mailbox
 * (`revokeNote`), so it is ordered with the room's deltas; every node applies it before the room's next delta reaches it
 * (the adapter's request and broadcast messages share one Redis connection each way, so they arrive in publish order).
 */
export class Revocations {
  /** userId → tokens valid after (ms) and deleted, as far as this node knows. */
  private readonly known = new Map<string, TokenState>();
  /** userId → until when the sweep re-checks its watches. */
  private readonly recheck = new Map<string, number>();
  /** userId → revocations seen here (a join compares before and after, to undo one that raced a revocation). */
  private readonly epochs = new Map<string, number>();
  /** How the protocol stops a socket watching a room (its channel and every count it keeps); set by `attachProtocol`. */
  private leave: (socket: SpotterSocket, room: RoomId) => void = (socket, room) => leaveRoom(socket, room, this.d.registry, this.d.now());
  private polledAt: number;
  private polling = false;

  private readonly states = new Batcher<string, TokenState>(async (ids) => this.d.reads.tokenStates(ids));
  /** Sign-in sessions known to have ended (bounded; the database is asked again for one not here). */
  private readonly ended = new Set<string>();
  private readonly sessionStates = new Batcher<string, boolean>(async (ids) => this.d.reads.endedSessions(ids));

  constructor(private readonly d: RevocationDeps) {
    this.polledAt = d.now();
    if (d.clustered) {
      const on = (d.io as unknown as { on(ev: string, f: (...a: unknown[]) => void): void }).on.bind(d.io);
      on(
        keys.revokeEvent,
        (r) => void this.apply(r as Revocation).catch((err: unknown) => d.log.warn({ err: String(err) }, "revocation failed here")),
      );
      on(keys.unsubscribeEvent, (room, userId) => this.unsubscribeHere(room as RoomId, String(userId)));
    }
  }

  /** For the token verifier: refuses tokens issued at or before the user's revocation, and every token of a deleted account. */
  readonly check: RevocationCheck = async (userId, issuedAt, sessionId) => {
    if (!isUuid(userId)) return null; // only users with a row can be revoked
    try {
      const [state, ended] = await Promise.all([
        this.states.load(userId),
        sessionId && !this.ended.has(sessionId) ? this.sessionStates.load(sessionId) : undefined,
      ]);
      this.remember(userId, state ?? { validAfter: 0, deleted: false });
      if (sessionId && ended) this.rememberEnded(sessionId);
    } catch (err) {
      // Fail closed (a revoked token must not slip in while the database is away), and never leave a handshake hanging.
      this.d.log.warn({ err: String(err) }, "token revocation check failed");
      return { code: "UNAUTHENTICATED", message: "We couldn't check your sign-in just now — try again in a moment." };
    }
    const state = this.known.get(userId) ?? { validAfter: 0, deleted: false };
    if (state.deleted) return { code: "ACCOUNT_DELETED", message: DELETED_WORDS };
    if (issuedAt <= state.validAfter) return { code: "UNAUTHENTICATED", message: SIGNED_OUT_WORDS };
    if (sessionId && this.ended.has(sessionId)) return { code: "UNAUTHENTICATED", message: SESSION_ENDED_WORDS };
    return null;
  };

  /**
   * A revocation was committed: apply it here and on every other node. Resolves once the rooms watched from this
   * node have handled their notes, so a command answered after it publishes nothing to the revoked sockets here.
   */
  announce(r: Revocation): Promise<void> {
    if (this.d.clustered) this.d.io.serverSideEmit(keys.revokeEvent, r);
    return this.apply(r).catch((err: unknown) => this.d.log.warn({ err: String(err), user: r.userId }, "revocation failed here"));
  }

  /** The protocol's own `leave` (it also keeps per-user room counts). */
  leaveWith(leave: (socket: SpotterSocket, room: RoomId) => void): void {
    this.leave = leave;
  }

  /** How many revocations of `userId` this node has seen (compare before and after an await). */
  epoch(userId: string): number {
    return this.epochs.get(userId) ?? 0;
  }

  private async apply(r: Revocation): Promise<void> {
    const { userId } = r;
    this.epochs.set(userId, this.epoch(userId) + 1);
    if (this.epochs.size > 100_000) this.epochs.clear();
    this.recheck.set(userId, this.d.now() + RECHECK_MS);
    const sockets = this.socketsOf(userId);
    if (r.sessionIds?.length) {
      for (const id of r.sessionIds) this.rememberEnded(id);
      for (const s of sockets) if (s.data.identity.sessionId && this.ended.has(s.data.identity.sessionId)) this.end(s, SESSION_ENDED_WORDS);
      if (r.validAfter === null && r.gymId === null) return;
    }
    if (r.validAfter !== null) {
      this.remember(userId, { validAfter: r.validAfter, deleted: r.deleted });
      for (const s of sockets)
        if (r.deleted || s.data.identity.issuedAt <= r.validAfter) this.end(s, r.deleted ? DELETED_WORDS : SIGNED_OUT_WORDS);
      if (r.gymId === null) return;
    }
    // Each watched room of the gym gets the note, in its own mailbox order, wherever it runs.
    const rooms = new Set(sockets.filter((s) => s.connected).flatMap((s) => watchedRooms(s.data)));
    await Promise.all(
      [...rooms].map(async (room) => {
        if (parseRoomId(room).kind === "user") return;
        const gym = await this.d.access.gymOf(room).catch(() => null);
        if (r.gymId !== null && gym !== r.gymId) return;
        const answer = await this.d.router.send(room, revokeNote(userId));
        // The room could not take the note (moving, Redis down): remove the watch here; the sweep re-checks the rest.
        if (!answer.ok) this.unsubscribeHere(room, userId);
      }),
    );
    await this.recheckChannels(userId, r.gymId);
  }

  /** Called by a room from its mailbox: removes the user from the room here and on every node. */
  unsubscribe(room: RoomId, userId: string): void {
    this.unsubscribeHere(room, userId);
    if (this.d.clustered) this.d.io.serverSideEmit(keys.unsubscribeEvent, room, userId);
  }

  private unsubscribeHere(room: RoomId, userId: string): void {
    for (const s of this.socketsOf(userId)) {
      if (!channelOf(s.data, room)) continue;
      this.leave(s, room);
      s.emit("room:reset", { room, reason: "access_revoked", message: REVOKED_WORDS });
    }
  }

  /**
   * The 1 s sweep, per socket: false when the socket's token was revoked (the socket is ended). Cheap: a map lookup.
   */
  sweep(socket: SpotterSocket): boolean {
    const sid = socket.data.identity.sessionId;
    if (sid && this.ended.has(sid)) {
      this.end(socket, SESSION_ENDED_WORDS);
      return false;
    }
    const state = this.known.get(socket.data.identity.userId);
    if (!state || (socket.data.identity.issuedAt > state.validAfter && !state.deleted)) return true;
    this.end(socket, state.deleted ? DELETED_WORDS : SIGNED_OUT_WORDS);
    return false;
  }

  /** Once per sweep: revocations recorded in the database (one a bus message missed) and re-checks of recent ones. */
  tick(): void {
    const now = this.d.now();
    for (const [userId, until] of this.recheck) {
      if (until < now) this.recheck.delete(userId);
      else void this.recheckWatches(userId).catch((err: unknown) => this.d.log.warn({ err: String(err) }, "revocation re-check failed"));
    }
    if (!this.d.clustered || this.polling) return;
    this.polling = true;
    const since = this.polledAt - POLL_OVERLAP_MS;
    this.polledAt = now;
    void this.d.reads
      .revokedSince(since)
      .then((rows) => {
        for (const { userId, validAfter } of rows) this.remember(userId, { validAfter, deleted: false });
      })
      .then(() => this.d.reads.sessionsEndedSince(since))
      .then((rows) => {
        for (const { sessionId } of rows) this.rememberEnded(sessionId);
      })
      .catch((err: unknown) => this.d.log.warn({ err: String(err) }, "revocation poll failed"))
      .finally(() => (this.polling = false));
  }

  /** Every room and gym channel the user's sockets here still watch, checked against the database now. */
  private async recheckWatches(userId: string): Promise<void> {
    for (const s of this.socketsOf(userId)) {
      for (const room of watchedRooms(s.data)) {
        const access = await this.d.access.check(userId, room);
        if (!access.ok || channelOf(s.data, room) !== keys.audienceChannel(room, access.audience)) this.unsubscribeHere(room, userId);
      }
    }
    await this.recheckChannels(userId, null);
  }

  /**
   * Feed, leaderboard, sales-board and owner-report channels of a gym (`gymId`, or every gym when null) the user may no
   * longer watch: all of them when the gym is gone for them; the leads board alone when they stay but left the sales
   * roles, the owner report when they left the owner and admin roles.
   */
  private async recheckChannels(userId: string, gymId: string | null): Promise<void> {
    for (const s of this.socketsOf(userId)) {
      const gyms = new Set<string>();
      for (const channel of s.rooms) {
        const m = /^(?:feed|board|leads|report):([0-9a-f-]{36})(?::|$)/.exec(channel);
        if (m && (gymId === null || m[1] === gymId)) gyms.add(m[1]!);
      }
      for (const gym of gyms) {
        const room = `gym:${gym}` as RoomId;
        const access = await this.d.access.check(userId, room);
        if (access.ok) {
          const role = access.caller.membership?.role;
          if (!role || !(SalesRoles as readonly string[]).includes(role)) void s.leave(keys.leadsChannel(gym));
          if (!role || !(AdminRoles as readonly string[]).includes(role)) void s.leave(keys.reportChannel(gym));
          continue;
        }
        void s.leave(keys.feedChannel(gym));
        void s.leave(keys.feedUserChannel(gym, userId));
        void s.leave(keys.boardChannel(gym));
        void s.leave(keys.leadsChannel(gym));
        void s.leave(keys.reportChannel(gym));
        s.emit("room:reset", { room, reason: "access_revoked", message: REVOKED_WORDS });
      }
    }
  }

  private end(socket: SpotterSocket, message: string): void {
    for (const room of watchedRooms(socket.data)) socket.emit("room:reset", { room, reason: "access_revoked", message });
    socket.emit("auth:expired", { message });
    socket.disconnect(true);
  }

  /** Keeps the latest a node learned: a read that started before a revocation must not undo it. */
  private remember(userId: string, state: TokenState): void {
    const known = this.known.get(userId);
    const merged = { validAfter: Math.max(state.validAfter, known?.validAfter ?? 0), deleted: state.deleted || (known?.deleted ?? false) };
    if (merged.validAfter === 0 && !merged.deleted) return;
    if (this.known.size > 100_000) this.known.clear();
    this.known.set(userId, merged);
  }

  private rememberEnded(sessionId: string): void {
    if (this.ended.size > 100_000) this.ended.clear();
    this.ended.add(sessionId);
  }

  private socketsOf(userId: string): SpotterSocket[] {
    const out: SpotterSocket[] = [];
    for (const s of this.d.io.of("/").sockets.values())
      if ((s as unknown as SpotterSocket).data.identity?.userId === userId) out.push(s as unknown as SpotterSocket);
    return out;
  }
}
