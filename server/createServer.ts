/**
 * The composition root: it builds a node in start-up order and owns its shutdown. Each wiring job has its own file —
 * socket admission (socketsRuntime), keys and database (startup), notices, rooms, sign-in, requests, live delivery, HTTP routes.
 */
import { TokenVerifier, devSecret } from "./auth.js";
import type { Sessions } from "../app/signin/sessions.js";
import { createSignInWithFactors, type SignInRuntime } from "./signInRuntime.js";
import type { Config } from "./config.js";
import type { Database } from "./db/orm.js";
import { HttpLimits } from "./http/httpLimits.js";
import { StartingGate } from "./http/startingGate.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { keys } from "../rooms/keys.js";
import type { RoomRegistry } from "../rooms/RoomRegistry.js";
import type { RoomRouter } from "../rooms/RoomRouter.js";
import { createRooms } from "./roomsRuntime.js";
import { AccessControl } from "./realtime/access.js";
import { accessReads } from "./persistence/accessReads.js";
import { Revocations } from "./realtime/revocation.js";
import { selfCheckInGate } from "./realtime/selfCheckIn.js";
import { ReadAudit } from "./audit/readAudit.js";
import { httpRoutes } from "./httpRuntime.js";
import { createRequests } from "./requestsRuntime.js";
import { bindAndConnect, openStores } from "./startup.js";
import { warmUp } from "./warmUp.js";
import { installLiveDelivery } from "./liveRuntime.js";
import { revocationReads } from "./persistence/revocationReads.js";
import { selfCheckInSettings } from "./persistence/selfCheckInSettings.js";
import { attachNoticeSender } from "./persistence/noticeSink.js";
import type { DuesJob, FreezeEndJob } from "./jobs/gymPassJobs.js";
import { startServerJobs } from "./jobs/serverJobs.js";
import { standingNotifier } from "./requestsRuntime.js";
import { settleAnchors } from "./audit/anchors.js";
import { attachProtocol } from "./realtime/socketProtocol.js";
import { leasedRateLimits, sharedRateLimits } from "./cluster/redisRateLimits.js";
import type { StandingNotes } from "./cluster/standingNotes.js";
import { admitSockets, createIo } from "./socketsRuntime.js";
import type { NoticeSender } from "../app/notices/ports.js";
import { createNoticeDelivery, createNotices } from "./noticesRuntime.js";

export { StartupError } from "./startup.js";

/** A running Spotter node. */
export interface SpotterServer {
  port: number;
  url: string;
  transport: "uws" | "node";
  nodeId: string;
  db: Database;
  metrics: Metrics;
  registry: RoomRegistry;
  router: RoomRouter;
  /**
   * Invalidations of resident standings, on every node: call `invalidateMember(gymId, userId)` after
   * changing a membership (role, status, plan, credits) outside a class room, `invalidateUser(userId)`
   * after consents or profile, `invalidateGym(gymId)` after the gym's policy or plans.
   */
  standings: StandingNotes;
  /** The HS256 secret when tokens are verified locally (dev tooling, tests). */
  jwtSecret: string | undefined;
  /**
   * Notices to people (issue 20): `notices.notify(userIds, { kind, text, gymId, sessionId? })` stores one inbox entry
   * each (one transaction), shows it in their live `user:` rooms and delivers it by push and email per their preferences.
   */
  notices: NoticeSender;
  /** The VAPID public key of Web Push (null: no push on this node). */
  vapidPublicKey: string | null;
  /** Sign-in sessions (`completeSignIn` for every sign-in method); absent when the node verifies only JWKS tokens. */
  sessions: Sessions | undefined;
  /** Email sign-in, the mail outbox and the dev mailbox (same condition). */
  signIn: SignInRuntime | undefined;
  /** Freezes whose last day has passed end by themselves (a pass every minute; `runOnce()` for one now). */
  freezeEnds: FreezeEndJob;
  /** Plan dues open by themselves when a billing period starts (a pass every minute; `runOnce()` for one now). */
  dues: DuesJob;
  /** Stop accepting, drain rooms, flush, close connections. Idempotent. */
  close(): Promise<void>;
}

export interface ServerOptions {
  log?: Logger;
  /** Clock for everything time-based (tests pass a fixed one). */
  now?: () => number;
  /** A certificate to trust for push services besides the system's (a test's local push service). */
  pushCa?: string;
}

/** The composition root: database, Redis, transport, rooms, HTTP routes. */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<SpotterServer> {
  const log = options.log ?? createLogger(config.LOG_LEVEL, config.NODE_ID);
  const now = options.now ?? Date.now;
  const metrics = createMetrics();

  const jwtSecret = config.JWT_SECRET ?? (config.JWKS_URL ? undefined : devSecret(config.DATA_DIR));
  let revocations: Revocations | undefined; // made with the rooms; nothing verifies a token before then
  const verifier = new TokenVerifier(jwtSecret ? { secret: jwtSecret } : { jwksUrl: config.JWKS_URL! }, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxLifetimeMs: config.MAX_TOKEN_LIFETIME,
    now,
    revoked: (userId, issuedAt, sessionId) => revocations?.check(userId, issuedAt, sessionId) ?? Promise.resolve(null),
  });

  // Sockets wait at the gate (before auth) until the node is up: the port is bound before the database is ready.
  const gate = new StartingGate();
  const io = createIo(config, gate);
  // The port first (a taken port fails in milliseconds), then Redis (an unreachable REDIS_URL fails in seconds).
  const { listening, unlisten, pub, sub } = await bindAndConnect(config, io, gate, log);
  const { db, codes, presence, box } = await openStores(config, jwtSecret, log, now).catch(async (err: unknown) => {
    await Promise.allSettled([pub?.quit(), sub?.quit(), unlisten()]);
    throw err;
  });
  const admission = admitSockets(io, { config, verifier, pub, log, metrics });

  // Notices: the delivery outbox (push, email) on every node, and the port other use cases send through.
  let mailQueued = () => undefined as void;
  let publicUrl = "";
  const { vapid, delivery } = createNoticeDelivery({
    config,
    orm: db.orm,
    log,
    metrics,
    now,
    pushCa: options.pushCa,
    publicUrl: () => config.PUBLIC_URL ?? publicUrl,
    mailQueued: () => mailQueued(),
  });
  const rooms = await createRooms({
    config,
    db,
    io,
    log,
    metrics,
    now,
    codes,
    redis: pub,
    unsubscribe: (room, userId) => revocations?.unsubscribe(room, userId),
    onNotices: () => void delivery.kick(),
  });
  const notices = createNotices({ orm: db.orm, registry: rooms.registry, delivery, now });
  const detachNotices = attachNoticeSender(db.orm, notices);
  delivery.start();
  (io as unknown as { on(ev: string, f: (memberId: unknown) => void): void }).on(keys.reloadMemberEvent, (memberId) => {
    if (typeof memberId === "string") rooms.registry.reloadRoomsMentioning(memberId);
  });
  const access = new AccessControl(accessReads(db.orm), rooms.resident);
  revocations = new Revocations({
    io,
    reads: revocationReads(db.orm),
    access,
    registry: rooms.registry,
    router: rooms.router,
    log,
    now,
    clustered: Boolean(pub),
  });
  const readAudit = new ReadAudit(db.orm, log);
  readAudit.start();
  // The periodic jobs (KPI day, freeze ends, recurring dues): `jobs/serverJobs.ts`.
  const jobs = startServerJobs({ orm: db.orm, notes: standingNotifier(rooms), notices, now, log });

  const stopLiveDelivery = installLiveDelivery({ io, orm: db.orm, log, now, clustered: Boolean(pub) });
  const sharedLimits = sharedRateLimits(pub, log);
  const { factors, signIn } = createSignInWithFactors({
    config,
    orm: db.orm,
    log,
    now,
    secret: jwtSecret,
    box,
    limits: sharedLimits,
    announce: async (r) => revocations?.announce(r),
    publicUrl: () => publicUrl,
    onJoined: (userId, gymId) => rooms.notes.invalidateMember(gymId, userId),
  });
  const sessions = signIn?.sessions;
  if (signIn) mailQueued = () => void signIn.outbox.kick();
  // The per-user command budget is spent from per-node leases (no Redis round trip per command); see LeasedRateLimits for the bound.
  const userLimits = leasedRateLimits(pub, log)("user", { rate: config.COMMANDS_PER_SECOND * 2, burst: config.COMMANDS_PER_SECOND * 4 });
  const httpLimits = new HttpLimits(
    sharedLimits("http-ip", { rate: config.HTTP_REQUESTS_PER_SECOND_PER_IP, burst: config.HTTP_REQUESTS_PER_SECOND_PER_IP * 5 }),
    sharedLimits("http-user", { rate: config.HTTP_REQUESTS_PER_SECOND_PER_USER, burst: config.HTTP_REQUESTS_PER_SECOND_PER_USER * 4 }),
    now,
  );
  const protocol = attachProtocol(io, {
    router: rooms.router,
    registry: rooms.registry,
    access,
    requests: createRequests({
      orm: db.orm,
      access,
      codes,
      presence,
      readAudit,
      now,
      publicUrl: () => publicUrl,
      rooms,
      // Other nodes, through the Redis adapter.
      reloadElsewhere: pub ? (memberId) => io.serverSideEmit(keys.reloadMemberEvent, memberId) : undefined,
      workoutLimits: { logsPerDay: config.MAX_WORKOUT_LOGS_PER_DAY, setsPerDay: config.MAX_WORKOUT_SETS_PER_DAY },
      onRevoked: async (r) => revocations?.announce(r),
      signIn,
      vapidPublicKey: vapid?.publicKey ?? null,
      notices,
    }),
    metrics,
    log,
    now,
    commandsPerSecond: config.COMMANDS_PER_SECOND,
    userLimits,
    maxRoomsPerSocket: config.MAX_ROOMS_PER_SOCKET,
    maxRoomsPerUser: config.MAX_ROOMS_PER_USER,
    gate: selfCheckInGate({ settings: selfCheckInSettings(db.orm), presence, now }),
    // Durable before the join answers; concurrent joins' rows go in one insert (readAudit.ts).
    onStaffView: (userId, gymId, room) =>
      readAudit.record({
        gymId,
        actorId: userId,
        action: "room:join",
        entityType: "room",
        entityId: room,
        summary: { audience: "staff" },
        commandId: null,
        at: now(),
      }),
    revocations,
    verify: (token) => verifier.verify(token),
  });

  const router = httpRoutes({
    config,
    db,
    metrics,
    pub,
    codes,
    access,
    verifier,
    httpLimits,
    sharedLimits,
    readAudit,
    factors,
    signIn,
    rooms,
    now,
    publicUrl: () => publicUrl,
  });
  const warned = (err: unknown) => log.warn({ err }, "warm-up failed: the first commands of a kind pay their one-off costs");
  // The warm-up's rooms batch and publish as this node's do (its group commit and fan-out settings).
  const took = await warmUp(db, warned, { access, io, budgetMs: config.WARM_UP_MS, node: config });
  log.info({ took }, "warmed up (ms)");
  gate.open(router);
  log.info({ port: listening.port, transport: listening.transport, mode: config.SPOTTER_MODE, redis: Boolean(pub) }, "spotter listening");

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info("shutting down");
      protocol.close();
      admission.close();
      stopLiveDelivery();
      await rooms.close();
      await delivery.stop();
      await readAudit.stop();
      await jobs.stop();
      await signIn?.close();
      // This node's sockets only: io.disconnectSockets() goes through the Redis adapter and closed every node's sockets.
      io.local.disconnectSockets(true);
      await new Promise<void>((r) => io.close(() => r()));
      await listening.close().catch(() => undefined);
      await Promise.allSettled([pub?.quit(), sub?.quit()]);
      await settleAnchors(db.orm);
      detachNotices();
      await db.close();
      log.info("stopped");
    })());

  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  publicUrl = `http://${host}:${listening.port}`;
  return {
    port: listening.port,
    url: `http://${host}:${listening.port}`,
    transport: listening.transport,
    nodeId: config.NODE_ID,
    db,
    metrics,
    registry: rooms.registry,
    router: rooms.router,
    standings: rooms.notes,
    notices,
    vapidPublicKey: vapid?.publicKey ?? null,
    jwtSecret,
    sessions,
    signIn,
    freezeEnds: jobs.freezeEnds,
    dues: jobs.dues,
    close,
  };
}
