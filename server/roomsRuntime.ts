import { createHash, randomUUID } from "node:crypto";
import type { Server as IoServer } from "socket.io";
import type { InboxNotice } from "../domain/notices/inbox.js";
import type { RoomId } from "../domain/protocol/envelope.js";
import { LocalBus, LocalDirectory, type NodeBus, type RoomDirectory } from "../rooms/coordination.js";
import { RoomRegistry } from "../rooms/RoomRegistry.js";
import { RoomRouter } from "../rooms/RoomRouter.js";
import { RedisBus } from "./cluster/redisBus.js";
import { RedisDirectory } from "./cluster/redisDirectory.js";
import type { Config } from "./config.js";
import type { Database } from "./db/orm.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { classStore } from "./persistence/classStore.js";
import { dueSessions } from "./persistence/dueSessions.js";
import { openingSessions } from "./persistence/openingSessions.js";
import { warmThrough, WindowWarmDefaults, WindowWarmer } from "./jobs/windowWarmJob.js";
import { gymStore } from "./persistence/gymStore.js";
import { userStore } from "./persistence/userStore.js";
import { startOutboxSweeper } from "./persistence/outbox.js";
import { anchorLeftBehind } from "./audit/anchors.js";
import type { RedisClient } from "./redis.js";
import type { MemberCodes } from "./realtime/memberCodes.js";
import { ResidentStandings } from "../rooms/residentStandings.js";
import { standingsSource } from "./persistence/standingsSource.js";
import { StandingNotes } from "./cluster/standingNotes.js";
import { WatchPresence } from "./cluster/watchPresence.js";
import { keys } from "../rooms/keys.js";

export interface RoomsDeps {
  config: Config;
  db: Database;
  io: IoServer;
  log: Logger;
  metrics: Metrics;
  now: () => number;
  codes: MemberCodes;
  /** With Redis: leases and node-to-node requests through it (cluster); without: this node owns everything. */
  redis: RedisClient | undefined;
  /** A room's mailbox revoked a user's watch: remove their sockets from its channels (on every node). */
  unsubscribe: (room: RoomId, userId: string) => void;
  /** A room committed notices: deliver them (the delivery outbox's sweep retries whatever this misses). */
  onNotices?: (notices: readonly InboxNotice[]) => void;
}

/** Wires the room actors: stores over the database, broadcasting over Socket.IO, ownership and routing, the janitor. */
export async function createRooms(
  d: RoomsDeps,
): Promise<{ registry: RoomRegistry; router: RoomRouter; resident: ResidentStandings; notes: StandingNotes; close(): Promise<void> }> {
  const { config, db, io, log, metrics, now } = d;
  // Members' standings live in memory per gym for as long as rooms use them; changes elsewhere arrive as notes.
  const resident = new ResidentStandings(standingsSource(db.orm, now), now, config.ROOM_IDLE_MS);
  const notes = new StandingNotes(resident, config.NODE_ID, d.redis, log);
  await notes.start();
  // Which room channels are watched on any node: a view nobody watches builds no deltas, with Redis too.
  const channels = () => io.of("/").adapter.rooms;
  const presence = new WatchPresence(
    config.NODE_ID,
    d.redis,
    (c) => channels().get(c)?.size ?? 0,
    () => channels().keys(),
    now,
    log,
  );
  await presence.start();
  // A channel here that lost its last socket is announced soon: its owner stops publishing its deltas through Redis.
  io.of("/").adapter.on("delete-room", (channel: string) => presence.emptied(channel));
  const onSideEffectError = (err: unknown) =>
    log.warn({ err: String(err) }, "applying a commit's side effects failed; the outbox sweep retries");
  const storeDeps = {
    orm: db.orm,
    nodeId: config.NODE_ID,
    now,
    idempotencyWindowMs: 24 * 3_600_000,
    onSideEffectError,
    onNotices: d.onNotices,
  };
  // Once every room has drained, nothing may publish: the Redis clients quit next, and a late emit through the
  // adapter was an unhandled ClientClosedError at shutdown.
  let drained = false;
  const registry = new RoomRegistry(
    {
      now,
      newId: randomUUID,
      log,
      broadcaster: {
        // Through Redis only when another node may have a watcher (WatchPresence); else this node's sockets alone.
        delta: (channel, delta) =>
          void (drained || (presence.watchedElsewhere(channel) ? io : io.local).to(channel).emit("room:delta", delta)),
        reset: (channel, reset) => void (drained || io.to(channel).emit("room:reset", reset)),
        revoke: (room, userId) => void (drained || d.unsubscribe(room, userId)),
        // This node's adapter, plus what the other nodes announce (see WatchPresence).
        watched: (channel: string) => presence.watched(channel),
        watchers: (channel: string) => channels().get(channel)?.size ?? 0,
      },
      flushMaxBatch: config.FLUSH_MAX_BATCH,
      flushMaxDelayMs: config.FLUSH_MAX_DELAY_MS,
      ringSize: 256,
      fanoutHoldUsPerWatcher: config.FANOUT_HOLD_US_PER_WATCHER,
      idempotencyWindowMs: storeDeps.idempotencyWindowMs,
      onFlush: (n) => metrics.flushBatch.observe(n),
      onFlushFailure: () => metrics.flushFailures.inc(),
    },
    {
      classes: classStore(storeDeps),
      gyms: gymStore(storeDeps, (code) => d.codes.verify(code, now())),
      users: userStore(storeDeps),
      resident: { resident, userOfCode: (code) => d.codes.verify(code, now()) },
    },
    config.ROOM_IDLE_MS,
  );
  notes.onFees = (gymId, feePolicy) => registry.tellClasses({ kind: "note", note: { type: "fees", gymId, feePolicy } });
  let directory: RoomDirectory = new LocalDirectory();
  let bus: NodeBus = new LocalBus();
  if (d.redis) {
    directory = new RedisDirectory(d.redis, config.LEASE_MS);
    bus = new RedisBus(d.redis, config.NODE_ID, log);
    // Watchers on other nodes keep a room alive: ask the adapter before evicting it.
    registry.watchedElsewhere = async (room) =>
      (await io.in(["staff", "public", "owner"].map((a) => room.channel(a as never))).fetchSockets()).length > 0;
  }
  // Join answers name the owner by a hash of its node id (node ids are internal), plus its public URL if configured.
  const hint = {
    hint: createHash("sha256").update(config.NODE_ID).digest("base64url").slice(0, 12),
    ...(config.NODE_PUBLIC_URL ? { url: config.NODE_PUBLIC_URL } : {}),
  };
  const router = new RoomRouter({
    node: config.NODE_ID,
    directory,
    bus,
    registry,
    log,
    now,
    requestTimeoutMs: 15_000,
    hint,
    onRemoteJoin: (room, audience, from, stamp) => presence.joinedElsewhere(keys.audienceChannel(room, audience), from, stamp),
    watchStamp: () => presence.stamp(),
  });
  await router.start();

  // Rooms nobody watches still close their classes (no-shows, fees) and pass on expired offers.
  const janitor = setInterval(() => {
    void dueSessions(db.orm, now())
      .then((ids) => {
        for (const id of ids) void router.send(`class:${id}`, { kind: "note", note: { type: "tick" } });
      })
      .catch((err: unknown) => log.warn({ err: String(err) }, "janitor query failed"));
  }, 60_000);
  janitor.unref();
  // Class rooms whose booking window opens soon load (on their owner, warmed by it alone) before the first press.
  const windows = new WindowWarmer(
    (from, to, limit) => openingSessions(db.orm, from, to, limit),
    warmThrough((room, message) => router.sendIfOwner(room, message), {
      // A one-way note to the owner (never re-asked: a tick needs no verdict, and a stuck owner must not collect them).
      anywhere: async (room, message) => (registry.tell(room, message), { ok: true as const, result: null }),
    }),
    now,
    { ...WindowWarmDefaults, leadMs: config.WINDOW_WARM_LEAD_MS, perMinute: config.WINDOW_WARM_PER_MINUTE },
  ).start(log);
  // Side effects a node committed but did not apply (it died, or the apply failed) are applied here.
  const stopSweeper = startOutboxSweeper(db.orm, now, onSideEffectError);
  // Room chain heads a node left unanchored when it died (rooms that never commit again) are anchored now.
  void anchorLeftBehind(db.orm, now)
    .then((n) => n > 0 && log.info({ chains: n }, "anchored audit chain heads left behind"))
    .catch((err: unknown) => log.warn({ err: String(err) }, "anchoring heads left behind failed; each room's next commit anchors its own"));
  metrics.source.rooms = () => registry.live().map((r) => ({ kind: r.id.slice(0, r.id.indexOf(":")), bytes: r.stateBytes() }));
  return {
    registry,
    router,
    resident,
    notes,
    close: async () => {
      clearInterval(janitor);
      await windows.stop();
      await router.close();
      await stopSweeper();
      drained = true;
      await presence.close();
      await notes.close();
      resident.close();
    },
  };
}
