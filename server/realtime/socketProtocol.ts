import type { Server as IoServer } from "socket.io";
import { refuse } from "../../domain/protocol/acks.js";
import {
  AuthRenewSchema,
  CommandEnvelopeSchema,
  JoinRequestSchema,
  LeaveRequestSchema,
  plainEnvelope,
  type Ack,
  type RoomId,
} from "../../domain/protocol/envelope.js";
import type { RoomRegistry } from "../../rooms/RoomRegistry.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { AccessControl } from "./access.js";
import type { RequestDispatch } from "./requestDispatch.js";
import { TokenBucket, type RateLimitStore } from "../cluster/rateLimit.js";
import { SLOW_CONSUMER_EVENT, sweepSlowConsumer, type Conn } from "../http/uwsBackpressure.js";
import { plainJsonAnswer } from "../http/socketIoFastPath.js";
import { channelOf, leaveRoom, NONE, watch, watchedCount, type SpotterSocket } from "./socketState.js";
import { keys } from "../../rooms/keys.js";
import { interner } from "./interner.js";
import { failureOf, JoinTurns } from "./joinTurns.js";
import { checkedRoomCommand } from "./checkedRoomCommand.js";
import type { CommandGate } from "./selfCheckIn.js";
import type { Revocations } from "./revocation.js";
import type { VerifyResult } from "../auth.js";

export interface ProtocolOptions {
  router: RoomRouter;
  /** Local actors, for watcher counts of rooms this node runs. */
  registry: RoomRegistry;
  access: AccessControl;
  /** Requests answered outside the rooms: the dispatch table (`requestTable.ts`). */
  requests: RequestDispatch;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  /** Per socket: this many commands and joins a second (bursts of twice that). */
  commandsPerSecond: number;
  /** Per user, across all their sockets (and all nodes when the store is shared). */
  userLimits: RateLimitStore;
  maxRoomsPerSocket: number;
  /** Rooms one user may watch across all their sockets on this node. */
  maxRoomsPerUser: number;
  /** Checks a validated, authorized command before its room (member self check-in). */
  gate?: CommandGate;
  /** Audits a staff member's view of a room (several people's personal data); the join answers once it is stored. */
  onStaffView?: (userId: string, gymId: string, room: RoomId) => Promise<void>;
  /** Revoked tokens and access, swept each second; joins that race a revocation are undone. */
  revocations: Revocations;
  /** Verifies the token of an `auth:renew` (the handshake's verifier). */
  verify: (token: string) => Promise<VerifyResult>;
}

const err = refuse;

/**
 * One spelling per room: ids are UUIDs, which the schema and PostgreSQL accept in any case, and
 * `class:ABC…` next to `class:abc…` started a second actor for the same session (two owners, overbooking).
 */
const canonical = (room: RoomId): RoomId => room.toLowerCase();

/**
 * The realtime protocol on every socket: join/leave rooms (authorized per gym, snapshot or missed
 * deltas), commands (validated, rate limited, routed to the room actor, acked after commit), token
 * expiry, and slow-consumer protection. Every handler is wrapped: bad input never throws out.
 * The handlers are made once and shared by every socket (an EventEmitter calls them with `this` = the socket).
 */
export function attachProtocol(io: IoServer, o: ProtocolOptions): { close(): void } {
  const expire = (socket: SpotterSocket) => {
    socket.emit("auth:expired", { message: "Your session expired — sign in again." });
    socket.disconnect(true);
  };
  // One pass a second over this node's sockets instead of a timer per socket: token expiry (up to 1 s late) and slow consumers.
  const sweep = setInterval(() => {
    const now = o.now();
    for (const raw of io.of("/").sockets.values()) {
      const socket = raw as unknown as SpotterSocket;
      if (socket.data.identity.expiresAt <= now) {
        expire(socket);
        continue;
      }
      if (!o.revocations.sweep(socket)) continue;
      // Closed as a slow consumer the same way on either transport (counted through SLOW_CONSUMER_EVENT, below).
      sweepSlowConsumer(socket.conn as unknown as Conn, socket.data);
    }
    o.revocations.tick();
  }, 1_000);
  sweep.unref?.();

  const intern = interner(50_000);
  // Rooms each user watches on this node, over all their sockets.
  const roomsHeld = new Map<string, number>();
  const holdRoom = (userId: string, by: 1 | -1) => {
    const n = (roomsHeld.get(userId) ?? 0) + by;
    if (n > 0) roomsHeld.set(userId, n);
    else roomsHeld.delete(userId);
  };

  const refusal = (wait: number): Ack<never> | null =>
    wait > 0 ? err("RATE_LIMITED", `Too many requests — try again in ${Math.ceil(wait / 1000)} s.`, { retryAfterMs: wait }) : null;
  /** The rate limits' answer: null to go on. Not a promise when both budgets answer from memory (the common case: no await). */
  const limited = (socket: SpotterSocket): Ack<never> | null | Promise<Ack<never> | null> => {
    const now = o.now();
    const state = socket.data;
    const bucket = (state.bucket ??= new TokenBucket(o.commandsPerSecond, o.commandsPerSecond * 2, now));
    // The socket's own bucket first: a flooding socket is refused without a round trip to the shared store.
    // Then the user's budget, from this node's lease when it has one (no round trip, no deadline timer).
    const user = state.identity.userId;
    const wait = bucket.take(now) || o.userLimits.tryTake?.(user, now);
    return wait === undefined ? o.userLimits.take(user, now).then(refusal) : refusal(wait);
  };

  const guard = (name: string, fn: (socket: SpotterSocket, arg: unknown) => Promise<Ack<unknown>>) =>
    function guarded(this: SpotterSocket, ...args: unknown[]): void {
      const ack = args[args.length - 1];
      if (typeof ack !== "function") return; // A request without an ack cannot be answered; ignore it.
      const started = performance.now();
      fn(this, args.length > 1 ? args[0] : undefined).then(
        (answer) => {
          if (!answer.ok) o.metrics.errors.inc({ code: answer.error.code });
          (ack as (a: Ack<unknown>) => void)(answer);
          if (name === "command") o.metrics.commandSeconds.observe((performance.now() - started) / 1000);
        },
        (e: unknown) => {
          o.log.error({ err: e, event: name, user: this.data.identity.userId }, "socket handler failed");
          o.metrics.errors.inc({ code: "INTERNAL" });
          (ack as (a: Ack<unknown>) => void)(err("INTERNAL", "Something went wrong on our side — nothing was changed."));
        },
      );
    };

  const leave = (socket: SpotterSocket, room: RoomId) => {
    if (leaveRoom(socket, room, o.registry, o.now())) holdRoom(socket.data.identity.userId, -1);
  };
  o.revocations.leaveWith(leave);
  const joins = new JoinTurns();

  const onJoin = guard("room:join", async (socket, req) => {
    // Joins share the command budget: each one reads the database, and an unlimited join flood stalled every room.
    const limit = limited(socket);
    const slow = limit instanceof Promise ? await limit : limit;
    if (slow) return slow;
    const parsed = JoinRequestSchema.safeParse(req);
    if (!parsed.success) return err("VALIDATION_FAILED", "Say which room to watch: { room, since? }.");
    const room = intern(canonical(parsed.data.room));
    const { since } = parsed.data;
    const state = socket.data;
    if (!channelOf(state, room) && watchedCount(state) >= o.maxRoomsPerSocket)
      return err("RATE_LIMITED", `You can watch at most ${o.maxRoomsPerSocket} rooms at once.`);
    const { userId } = state.identity;
    const fresh = !channelOf(state, room);
    // Checked, not reserved: joins in flight may pass it by at most what the per-user rate limit lets through.
    if (fresh && (roomsHeld.get(userId) ?? 0) >= o.maxRoomsPerUser)
      return err("LIMIT_EXCEEDED", `You're watching ${o.maxRoomsPerUser} rooms across your devices — close some screens or tabs first.`);
    // A later join of the same room on this socket answers for the watch from when it begins.
    return joins.run(socket.id, room, (latest) => joinRoom(socket, room, since, userId, latest));
  });

  /** The join itself; `latest()` is false once a later join of the room on this socket began (it owns the watch). */
  async function joinRoom(socket: SpotterSocket, room: RoomId, since: number | undefined, userId: string, latest: () => boolean) {
    const state = socket.data;
    const epoch = o.revocations.epoch(userId);
    const access = await o.access.check(userId, room);
    if (!access.ok) return err(access.code, access.message);
    // A staff view's audit row is inserted beside the room's load; the answer waits until it is stored.
    const audit = access.audience === "staff" && access.gymId ? failureOf(o.onStaffView?.(userId, access.gymId, room)) : null;
    const channel = intern(keys.audienceChannel(room, access.audience));
    const previous = channelOf(state, room);
    const answer = await o.router.join(room, access.audience, since, () => {
      if (previous && previous !== channel) void socket.leave(previous);
      void socket.join(channel);
    });
    if (!answer.ok) {
      if (!previous && latest()) void socket.leave(channel);
      return answer;
    }
    if (!previous && o.router.isLocal(room)) o.registry.get(room).watchers += 1;
    // A socket gone meanwhile was already given back its rooms: nothing to count.
    if (!previous && socket.connected) holdRoom(userId, 1);
    watch(state, room, channel);
    const unaudited = audit ? await audit : null;
    if (unaudited) o.log.warn({ err: unaudited, room }, "audit of a staff view failed: not answered");
    // Not audited, or access read before a revocation of this user landed (the watch may rest on what was just taken away).
    if (unaudited || o.revocations.epoch(state.identity.userId) !== epoch) {
      if (latest()) leave(socket, room);
      return unaudited
        ? err("UNAVAILABLE", "Couldn't open this just now — try again.", { retryAfterMs: 500 })
        : err("UNAVAILABLE", "Your access just changed — join again.", { retryAfterMs: 100 });
    }
    return plainJsonAnswer(answer);
  }

  const onLeave = guard("room:leave", async (socket, req) => {
    const parsed = LeaveRequestSchema.safeParse(req);
    if (!parsed.success) return err("VALIDATION_FAILED", "Say which room to leave: { room }.");
    leave(socket, canonical(parsed.data.room));
    return { ok: true, result: null };
  });

  const onCommand = guard("command", async (socket, cmd) => {
    const limit = limited(socket);
    const slow = limit instanceof Promise ? await limit : limit;
    if (slow) return slow;
    // The common well-formed command is checked without zod; anything else gets the schema's exact issues.
    let envelope = plainEnvelope(cmd);
    if (!envelope) {
      const parsed = CommandEnvelopeSchema.safeParse(cmd);
      if (!parsed.success) {
        const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "command", i.message]));
        return err("VALIDATION_FAILED", "A command needs { commandId, room, type, payload }.", { fields });
      }
      envelope = parsed.data;
    }
    const { commandId, type, payload } = envelope;
    const { userId } = socket.data.identity;
    const room = canonical(envelope.room);
    // Own keys only: a type like "constructor" or "__proto__" named an Object.prototype member and was answered INTERNAL.
    if (o.requests.handles(type)) {
      const channels = { join: (c: string) => void socket.join(c), leave: (c: string) => void socket.leave(c) };
      // The handshake's headers are forgotten after auth (see startup.ts): the user agent was kept in socket.data.
      const client = { ip: String(socket.handshake.address ?? "").slice(0, 64), userAgent: socket.data.userAgent ?? "" };
      const answer = await o.requests.dispatch({
        userId,
        room,
        type,
        payload,
        commandId,
        channels,
        sessionId: socket.data.identity.sessionId,
        client,
      });
      o.metrics.commands.inc({ type, outcome: answer.ok ? "ok" : answer.error.code });
      return answer;
    }
    // Not a request of a use case: a room command of the message table, or unknown.
    const checked = checkedRoomCommand(o.access, userId, room, type, payload);
    const valid = checked instanceof Promise ? await checked : checked;
    if (!valid.ok) return valid;
    const gate = o.gate ? o.gate(valid.caller, type, valid.payload) : null;
    const gated = gate instanceof Promise ? await gate : gate;
    if (gated) return gated;
    const answer = await o.router.send(room, {
      kind: "command",
      caller: valid.caller,
      commandId,
      type,
      payload: valid.payload,
      receivedAt: o.now(),
    });
    o.metrics.commands.inc({ type, outcome: answer.ok ? "ok" : answer.error.code });
    return answer;
  });

  // The new token replaces the identity the sweep checks; rooms, channels and the command budget stay as they are.
  const onRenew = guard("auth:renew", async (socket, req) => {
    const limit = limited(socket);
    const slow = limit instanceof Promise ? await limit : limit;
    if (slow) return slow;
    const parsed = AuthRenewSchema.safeParse(req);
    if (!parsed.success) return err("VALIDATION_FAILED", "Send the new token: { token }.");
    const verified = await o.verify(parsed.data.token);
    if (!verified.ok) return err(verified.code, verified.message);
    if (verified.identity.userId !== socket.data.identity.userId)
      return err("FORBIDDEN", "This connection belongs to someone else — reconnect to sign in as another person.");
    if (!socket.connected) return err("UNAUTHENTICATED", "This connection already ended — reconnect.");
    socket.data.identity = verified.identity;
    return { ok: true, result: { expiresAt: verified.identity.expiresAt } };
  });

  const countSlow = () => o.metrics.slowConsumers.inc();
  function onDisconnect(this: SpotterSocket): void {
    const w = this.data.watched ?? NONE;
    for (let i = 0; i < w.length; i += 2) leave(this, w[i] as RoomId);
  }

  io.on("connection", (raw) => {
    const socket = raw as unknown as SpotterSocket;
    // Already past its expiry by our clock: ended at once, as a timer of 0 ms did.
    if (socket.data.identity.expiresAt <= o.now()) return expire(socket);
    socket.on("room:join", onJoin as never);
    socket.on("room:leave", onLeave as never);
    socket.on("command", onCommand as never);
    socket.on("auth:renew", onRenew as never);
    socket.on("disconnect", onDisconnect as never);
    socket.conn.on(SLOW_CONSUMER_EVENT, countSlow);
  });

  return { close: () => clearInterval(sweep) };
}
