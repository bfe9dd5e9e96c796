import type { Server as IoServer, Socket } from "socket.io";
import { DefaultMessages } from "../../domain/errors.js";
import { isCommandType, parseCommand } from "../../domain/protocol/commands.js";
import {
  CommandEnvelopeSchema,
  JoinRequestSchema,
  LeaveRequestSchema,
  type Ack,
  type ClientToServerEvents,
  type ErrorBody,
  type RoomId,
  type ServerToClientEvents,
} from "../../domain/protocol/envelope.js";
import type { RoomRegistry } from "../../rooms/RoomRegistry.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { Identity } from "../auth.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { AccessControl } from "./access.js";
import type { QueryHandlers } from "./queries.js";
import { TokenBucket, type RateLimitStore } from "./rateLimit.js";
import { keys } from "../../rooms/keys.js";

export interface ProtocolOptions {
  router: RoomRouter;
  /** Local actors, for watcher counts of rooms this node runs. */
  registry: RoomRegistry;
  access: AccessControl;
  queries: QueryHandlers;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  /** Per socket: this many commands and joins a second (bursts of twice that). */
  commandsPerSecond: number;
  /** Per user, across all their sockets (and all nodes when the store is shared). */
  userLimits: RateLimitStore;
  maxRoomsPerSocket: number;
}

type SpotterSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { identity: Identity }>;

const err = (code: ErrorBody["code"], message?: string, extra: Partial<ErrorBody> = {}): Ack<never> => ({
  ok: false,
  error: { code, message: message ?? DefaultMessages[code], ...extra },
});

/**
 * One spelling per room: ids are UUIDs, which the schema and PostgreSQL accept in any case, and
 * `class:ABC…` next to `class:abc…` started a second actor for the same session (two owners, overbooking).
 */
const canonical = (room: RoomId): RoomId => room.toLowerCase();

/** Writes buffered to a socket beyond which it is a slow consumer: it is disconnected (and told why). */
const SLOW_CONSUMER_PACKETS = 2_000;

/**
 * The realtime protocol on every socket: join/leave rooms (authorized per gym, snapshot or missed
 * deltas), commands (validated, rate limited, routed to the room actor, acked after commit), token
 * expiry, and slow-consumer protection. Every handler is wrapped: bad input never throws out.
 */
export function attachProtocol(io: IoServer, o: ProtocolOptions): { close(): void } {
  const sweep = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const buffered = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (buffered > SLOW_CONSUMER_PACKETS) {
        o.metrics.slowConsumers.inc();
        socket.disconnect(true);
      }
    }
  }, 1_000);
  sweep.unref?.();

  io.on("connection", (raw) => {
    const socket = raw as unknown as SpotterSocket;
    const { identity } = socket.data;
    const bucket = new TokenBucket(o.commandsPerSecond, o.commandsPerSecond * 2, o.now());
    const watching = new Map<RoomId, string>();
    const expiry = setTimeout(() => {
      socket.emit("auth:expired", { message: "Your session expired — sign in again." });
      socket.disconnect(true);
    }, Math.max(0, Math.min(identity.expiresAt - o.now(), 2_147_000_000)));

    const channels = { join: (c: string) => void socket.join(c), leave: (c: string) => void socket.leave(c) };

    const limited = async (): Promise<Ack<never> | null> => {
      const now = o.now();
      // The socket's own bucket first: a flooding socket is refused without a round trip to the shared store.
      const wait = bucket.take(now) || (await o.userLimits.take(identity.userId, now));
      return wait > 0 ? err("RATE_LIMITED", `Too many requests — try again in ${Math.ceil(wait / 1000)} s.`, { retryAfterMs: wait }) : null;
    };

    const guard = <A extends unknown[]>(name: string, fn: (...args: A) => Promise<Ack<unknown>>) =>
      ((...args: A) => {
        const ack = args[args.length - 1];
        if (typeof ack !== "function") return; // A request without an ack cannot be answered; ignore it.
        const started = performance.now();
        fn(...args).then(
          (answer) => {
            if (!answer.ok) o.metrics.errors.inc({ code: answer.error.code });
            (ack as (a: Ack<unknown>) => void)(answer);
            if (name === "command") o.metrics.commandSeconds.observe((performance.now() - started) / 1000);
          },
          (e: unknown) => {
            o.log.error({ err: e, event: name, user: identity.userId }, "socket handler failed");
            o.metrics.errors.inc({ code: "INTERNAL" });
            (ack as (a: Ack<unknown>) => void)(err("INTERNAL", "Something went wrong on our side — nothing was changed."));
          },
        );
      }) as never;

    socket.on(
      "room:join",
      guard("room:join", async (req: unknown) => {
        // Joins share the command budget: each one reads the database, and an unlimited join flood stalled every room.
        const slow = await limited();
        if (slow) return slow;
        const parsed = JoinRequestSchema.safeParse(req);
        if (!parsed.success) return err("VALIDATION_FAILED", "Say which room to watch: { room, since? }.");
        const room = canonical(parsed.data.room);
        const { since } = parsed.data;
        if (!watching.has(room) && watching.size >= o.maxRoomsPerSocket)
          return err("RATE_LIMITED", `You can watch at most ${o.maxRoomsPerSocket} rooms at once.`);
        const access = await o.access.check(identity.userId, room);
        if (!access.ok) return err(access.code, access.message);
        const channel = keys.audienceChannel(room, access.audience);
        const previous = watching.get(room);
        const answer = await o.router.join(room, access.audience, since, () => {
          if (previous && previous !== channel) void socket.leave(previous);
          void socket.join(channel);
        });
        if (!answer.ok) {
          if (!previous) void socket.leave(channel);
          return answer;
        }
        if (!previous && o.router.isLocal(room)) o.registry.get(room).watchers += 1;
        watching.set(room, channel);
        return answer;
      }),
    );

    socket.on(
      "room:leave",
      guard("room:leave", async (req: unknown) => {
        const parsed = LeaveRequestSchema.safeParse(req);
        if (!parsed.success) return err("VALIDATION_FAILED", "Say which room to leave: { room }.");
        leave(canonical(parsed.data.room));
        return { ok: true, result: null };
      }),
    );

    const leave = (room: RoomId) => {
      const channel = watching.get(room);
      if (!channel) return;
      watching.delete(room);
      void socket.leave(channel);
      const actor = o.registry.peek(room);
      if (actor) {
        actor.watchers = Math.max(0, actor.watchers - 1);
        actor.lastActive = o.now();
      }
    };

    socket.on(
      "command",
      guard("command", async (cmd: unknown) => {
        const slow = await limited();
        if (slow) return slow;
        const envelope = CommandEnvelopeSchema.safeParse(cmd);
        if (!envelope.success) {
          const fields = Object.fromEntries(envelope.error.issues.map((i) => [i.path.join(".") || "command", i.message]));
          return err("VALIDATION_FAILED", "A command needs { commandId, room, type, payload }.", { fields });
        }
        const { commandId, type, payload } = envelope.data;
        const room = canonical(envelope.data.room);
        // Own keys only: a type like "constructor" or "__proto__" named an Object.prototype member and was answered INTERNAL.
        const query = Object.hasOwn(o.queries, type) ? o.queries[type] : undefined;
        if (query) {
          const answer = await query({ userId: identity.userId, room, payload, commandId, channels });
          o.metrics.commands.inc({ type, outcome: answer.ok ? "ok" : answer.error.code });
          return answer;
        }
        if (!isCommandType(type)) return err("VALIDATION_FAILED", `Unknown command "${type.slice(0, 64)}".`, { fields: { type: "Unknown command" } });
        const valid = parseCommand(type, payload);
        if (!valid.ok) return { ok: false, error: valid.error };
        const access = await o.access.check(identity.userId, room);
        if (!access.ok) return err(access.code, access.message);
        const answer = await o.router.send(room, {
          kind: "command",
          caller: access.caller,
          commandId,
          type,
          payload: valid.value,
          receivedAt: o.now(),
        });
        o.metrics.commands.inc({ type, outcome: answer.ok ? "ok" : answer.error.code });
        return answer;
      }),
    );

    socket.on("disconnect", () => {
      clearTimeout(expiry);
      for (const room of [...watching.keys()]) leave(room);
    });
  });

  return { close: () => clearInterval(sweep) };
}
