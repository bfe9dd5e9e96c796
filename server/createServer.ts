import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { createAdapter } from "@socket.io/redis-adapter";
import { Server as IoServer, type Socket } from "socket.io";
import { TokenVerifier, devSecret } from "./auth.js";
import type { Sessions } from "../app/signin/sessions.js";
import { createSignIn, type SignInRuntime } from "./signInRuntime.js";
import { addFactorAccountRoutes } from "./http/factorAccountRoutes.js";
import { addFactorSignInRoutes } from "./http/factorSignInRoutes.js";
import { AttemptBudgets, attemptLimiter, createFactors, relyingParty } from "./signin/factorRuntime.js";
import { afterFirstFactor } from "../app/signin/secondFactor.js";
import type { Config } from "./config.js";
import { EmbeddedDatabaseInUse, embeddedTarget, migrateUp, openDatabase, pendingMigrations, type Database } from "./db/orm.js";
import { isEmpty, seedDemo } from "./demo/seedDemo.js";
import { json, Router } from "./http/router.js";
import { addExportRoutes } from "./http/exports.js";
import { addImportRoutes, inviteImported } from "./http/importRoutes.js";
import { HttpLimits } from "./http/httpLimits.js";
import { staticApp } from "./http/staticFiles.js";
import { listen, type Listening } from "./http/transport.js";
import { addOperatorRoutes } from "./http/operatorRoutes.js";
import { StartingGate } from "./http/startingGate.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { connectRedis, redisAlive, type RedisClient } from "./redis.js";
import { keys } from "../rooms/keys.js";
import type { RoomRegistry } from "../rooms/RoomRegistry.js";
import type { RoomRouter } from "../rooms/RoomRouter.js";
import { createRooms } from "./roomsRuntime.js";
import { AccessControl } from "./realtime/access.js";
import { Revocations } from "./realtime/revocation.js";
import { MemberCodes } from "./realtime/memberCodes.js";
import { loadCodeKeyring } from "./checkin/codeKeys.js";
import { PresenceCodes } from "./checkin/presenceCodes.js";
import { selfCheckInGate } from "./realtime/selfCheckIn.js";
import { ReadAudit } from "./audit/readAudit.js";
import { createFeedCommands } from "./realtime/feedCommands.js";
import { createFeedDelivery } from "./realtime/feedDelivery.js";
import { classCommands } from "./realtime/classCommands.js";
import { createQueries } from "./realtime/queries.js";
import { installFeedDelivery } from "./persistence/feedStore.js";
import { SecretBox, secretsKeyOf } from "./persistence/secretBox.js";
import { sealStoredSecrets } from "./persistence/sealStoredSecrets.js";
import { installBoardChanges } from "./realtime/boardChanges.js";
import { attachLeadSink, leadsChanged } from "./persistence/leadSink.js";
import { trialStore } from "./persistence/trialStore.js";
import { addTrialRoutes } from "./http/trialRoutes.js";
import { trialBookings } from "./realtime/trialBookings.js";
import { settleAnchors } from "./audit/anchors.js";
import { attachProtocol } from "./realtime/socketProtocol.js";
import { FallbackRateLimits, LocalRateLimits, type RateLimit, type RateLimitStore } from "./cluster/rateLimit.js";
import { LeasedRateLimits } from "./cluster/leasedRateLimits.js";
import { RedisBudgetLeases, RedisRateLimits } from "./cluster/redisRateLimits.js";
import type { StandingNotes } from "./cluster/standingNotes.js";
import { LocalConnectionCounts, RedisConnectionCounts } from "./cluster/connectionCounts.js";
import { limitConnections } from "./realtime/connectionLimits.js";
import { clientAddress } from "./http/clientAddress.js";
import { asNotice } from "../domain/notices/inbox.js";
import { noticeSender } from "../app/notices/noticeSender.js";
import type { NoticeSender } from "../app/notices/ports.js";
import { noticeStore } from "./persistence/noticeStore.js";
import { NoticeDelivery } from "./notify/noticeDelivery.js";
import { loadVapidKeys } from "./notify/vapid.js";
import { webPushSender } from "./notify/webPush.js";

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
  /** Stop accepting, drain rooms, flush, close connections. Idempotent. */
  close(): Promise<void>;
}

/** Refusal to start with a reason a person can act on (exit status 2). */
export class StartupError extends Error {}

export interface ServerOptions {
  log?: Logger;
  /** Clock for everything time-based (tests pass a fixed one). */
  now?: () => number;
  /** A certificate to trust for push services besides the system's (a test's local push service). */
  pushCa?: string;
}

async function prepareDatabase(config: Config, log: Logger, now: number, box: SecretBox): Promise<Database> {
  const target = config.DATABASE_URL ? { kind: "postgres" as const, url: config.DATABASE_URL } : embeddedTarget(config.DATA_DIR);
  const db = await openDatabase(target).catch((err: unknown) => {
    throw err instanceof EmbeddedDatabaseInUse ? new StartupError(err.message) : err;
  });
  try {
    if (config.SPOTTER_MODE === "embedded") {
      const applied = await migrateUp(db);
      if (applied.length) log.info({ applied }, "migrations applied");
    } else {
      const pending = await pendingMigrations(db);
      if (pending.length)
        throw new StartupError(`${pending.length} database migration(s) pending (${pending.join(", ")}): run \`npm run migrate\` first`);
    }
    // Rows from before encryption at rest (or from an older node) are sealed with this node's key.
    const sealed = await sealStoredSecrets(db.orm, box);
    if (sealed.totp + sealed.clientSecrets > 0) log.info(sealed, "stored secrets sealed at rest");
    if (config.SEED_DEMO && (await isEmpty(db.orm.em.fork()))) {
      const summary = await seedDemo(db.orm.em.fork(), now);
      log.info(summary, "demo gym created");
    }
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

const FORGOTTEN = Object.freeze({});

/**
 * After auth Spotter reads nothing of the handshake, but Socket.IO keeps it for the socket's whole life: the token
 * (a credential, which fetchSockets() would also ship to other nodes), every header (a browser's cookies and user
 * agent are 1–2 KB) and, on uWebSockets.js, the request and response handles. Keep only the url and the query, and
 * the user agent (≤ 400 characters) in `socket.data`: a waiver signature keeps it as evidence.
 */
function forgetHandshake(socket: Socket, trustedHops: number): void {
  socket.handshake.address = clientAddress(socket.handshake.address, socket.handshake.headers["x-forwarded-for"], trustedHops);
  const agent = socket.handshake.headers["user-agent"];
  if (agent) socket.data.userAgent = String(agent).slice(0, 400);
  const { url, _query } = socket.request as unknown as { url?: string; _query?: unknown };
  socket.handshake.auth = FORGOTTEN;
  socket.handshake.headers = FORGOTTEN;
  socket.conn.request = { url, _query, headers: FORGOTTEN, connection: FORGOTTEN } as unknown as Socket["request"];
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
    revoked: (userId, issuedAt, sessionId) => revocations?.check(userId, issuedAt, sessionId) ?? Promise.resolve(null),
  });

  let pub: RedisClient | undefined;
  let sub: RedisClient | undefined;
  const io = new IoServer({
    serveClient: false,
    maxHttpBufferSize: config.MAX_PAYLOAD_BYTES,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    connectionStateRecovery: undefined,
  });
  // Sockets wait at this gate (before auth) until the node is up: the port is bound before the database is ready.
  const gate = new StartingGate();
  io.use((_socket, next) =>
    gate.isOpen ? next() : next(Object.assign(new Error("The server is starting — try again in a moment."), { data: { code: "UNAVAILABLE" } })),
  );
  // The port first: a second node on a taken port fails in milliseconds, not after migrations and seeding.
  let listening: Listening;
  try {
    listening = await listen(config.TRANSPORT, io, gate, config.HOST, config.PORT, log);
  } catch (err) {
    throw new StartupError(`cannot listen on ${config.HOST}:${config.PORT}: ${(err as Error).message}`);
  }
  const unlisten = async () => {
    await new Promise<void>((r) => io.close(() => r()));
    await listening.close().catch(() => undefined);
  };
  // Then Redis: an unreachable REDIS_URL fails start-up in seconds, before the database is opened.
  try {
    if (config.REDIS_URL) {
      pub = await connectRedis(config.REDIS_URL, log, "pub");
      sub = pub.duplicate();
      sub.on("error", () => undefined);
      await sub.connect();
      io.adapter(createAdapter(pub, sub, { key: keys.ioAdapter }));
    }
  } catch (err) {
    await Promise.allSettled([pub?.quit(), sub?.quit(), unlisten()]);
    throw new StartupError(`cannot connect to REDIS_URL: ${(err as Error).message}`);
  }
  let db: Database;
  let codes: MemberCodes;
  let presence: PresenceCodes;
  let box: SecretBox;
  try {
    const secretsKey = secretsKeyOf(config, jwtSecret);
    if (!secretsKey) throw new StartupError("SECRETS_KEY is required: the key sealing TOTP seeds and single sign-on client secrets (`openssl rand -hex 32`)");
    box = new SecretBox(secretsKey);
    // Check-in codes have their own Ed25519 key: never derived from the token secret or the (public) node id.
    const keyring = await loadCodeKeyring(config);
    codes = new MemberCodes(keyring);
    presence = new PresenceCodes(keyring.presenceSecret);
    db = await prepareDatabase(config, log, now(), box);
  } catch (err) {
    await Promise.allSettled([pub?.quit(), sub?.quit(), unlisten()]);
    throw err;
  }

  io.use((socket, next) => {
    void verifier.verify(socket.handshake.auth?.token).then((r) => {
      if (!r.ok) return next(Object.assign(new Error(r.message), { data: { code: r.code } }));
      socket.data.identity = r.identity;
      forgetHandshake(socket, config.TRUST_PROXY);
      next();
    });
  });
  const connectionCounts = {
    perUser: pub
      ? new RedisConnectionCounts(pub, "user", config.NODE_ID, (err) => log.warn({ err: String(err) }, "shared connection counts unavailable"))
      : new LocalConnectionCounts(),
    perAddress: new LocalConnectionCounts(),
  };
  limitConnections(io, { ...connectionCounts, maxPerUser: config.MAX_SOCKETS_PER_USER, maxPerAddress: config.MAX_SOCKETS_PER_IP });
  const disconnected = () => metrics.connections.dec(); // one function for every socket, not a closure each
  io.on("connection", (socket) => {
    metrics.connections.inc();
    socket.on("disconnect", disconnected);
  });

  // Notices: the delivery outbox (push, email) on every node, and the port other use cases send through.
  const vapid = loadVapidKeys(config);
  let mailQueued = () => undefined as void;
  let publicUrl = "";
  const delivery = new NoticeDelivery({
    orm: db.orm, push: vapid ? webPushSender(vapid, { ca: options.pushCa }) : null, log, now, publicUrl: () => config.PUBLIC_URL ?? publicUrl, mailQueued: () => mailQueued(),
    onPushed: (ms) => metrics.noticePush.observe(ms / 1000),
  });
  const rooms = await createRooms({
    config, db, io, log, metrics, now, codes, redis: pub, unsubscribe: (room, userId) => revocations?.unsubscribe(room, userId), onNotices: () => void delivery.kick(),
  });
  const notices = noticeSender({
    store: noticeStore(db.orm),
    route: {
      stored: (sent) => {
        for (const n of sent) rooms.registry.tell(`user:${n.userId}`, { kind: "note", note: { type: "notice", notice: asNotice(n) } });
        void delivery.kick();
      },
    },
    now,
    newId: randomUUID,
  });
  delivery.start();
  (io as unknown as { on(ev: string, f: (memberId: unknown) => void): void }).on(keys.reloadMemberEvent, (memberId) => {
    if (typeof memberId === "string") rooms.registry.reloadRoomsMentioning(memberId);
  });
  const access = new AccessControl(db.orm, rooms.resident);
  revocations = new Revocations({ io, orm: db.orm, access, registry: rooms.registry, router: rooms.router, log, now, clustered: Boolean(pub) });
  const readAudit = new ReadAudit(db.orm, log);
  readAudit.start();

  installFeedDelivery(db.orm, createFeedDelivery(io, db.orm, log));
  const stopBoardChanges = installBoardChanges(db.orm, io, { now, clustered: Boolean(pub) });
  // One node emits to the channel; the adapter reaches the pipeline's watchers on every node.
  const stopLeadSink = attachLeadSink(db.orm, (gymId) => void io.to(keys.leadsChannel(gymId)).emit("leads:changed", { gymId }));
  // With Redis every node spends from one budget per key; if Redis fails, each node limits on its own.
  const sharedLimits = (scope: string, limit: RateLimit): RateLimitStore =>
    pub
      ? new FallbackRateLimits(new RedisRateLimits(pub, scope, limit), new LocalRateLimits(limit), (err) =>
          log.warn({ err: String(err), scope }, "shared rate limits unavailable — limiting per node"),
        )
      : new LocalRateLimits(limit);
  // Sign-in factors (passkeys, TOTP, passwords, OIDC): attempts limited per email/account and per address, across nodes.
  const factors = createFactors(
    db.orm,
    attemptLimiter(sharedLimits("signin-ip", AttemptBudgets.address), sharedLimits("signin-account", AttemptBudgets.account)),
    () => relyingParty(config, config.PUBLIC_URL ?? publicUrl),
    box,
  );
  const signIn: SignInRuntime | undefined = jwtSecret
    ? createSignIn({
        config,
        orm: db.orm,
        log,
        now,
        secret: jwtSecret,
        limits: sharedLimits,
        announce: async (r) => revocations?.announce(r),
        publicUrl: () => publicUrl,
        onJoined: (userId, gymId) => rooms.notes.invalidateMember(gymId, userId),
        secondFactor: async (userId, method) => {
          const next = await afterFirstFactor(factors.secondFactor, userId, method, { ip: null, now: now() });
          return next.kind === "second_factor" ? { ticket: next.ticket, methods: next.methods, setupRequired: next.setupRequired } : null;
        },
      })
    : undefined;
  const sessions = signIn?.sessions;
  if (signIn) mailQueued = () => void signIn.outbox.kick();
  // The per-user command budget is spent from per-node leases (no Redis round trip per command); see LeasedRateLimits for the bound.
  const userLimit = { rate: config.COMMANDS_PER_SECOND * 2, burst: config.COMMANDS_PER_SECOND * 4 };
  const userLimits: RateLimitStore = pub
    ? new FallbackRateLimits(new LeasedRateLimits(new RedisBudgetLeases(pub, "user", userLimit), userLimit), new LocalRateLimits(userLimit), (err) =>
        log.warn({ err: String(err), scope: "user" }, "shared rate limits unavailable — limiting per node"),
      )
    : new LocalRateLimits(userLimit);
  const httpLimits = new HttpLimits(
    sharedLimits("http-ip", { rate: config.HTTP_REQUESTS_PER_SECOND_PER_IP, burst: config.HTTP_REQUESTS_PER_SECOND_PER_IP * 5 }),
    sharedLimits("http-user", { rate: config.HTTP_REQUESTS_PER_SECOND_PER_USER, burst: config.HTTP_REQUESTS_PER_SECOND_PER_USER * 4 }),
    now,
  );
  const protocol = attachProtocol(io, {
    router: rooms.router,
    registry: rooms.registry,
    access,
    queries: {
      ...createFeedCommands({ orm: db.orm, access, now, readAudit }),
      ...createQueries({
        orm: db.orm,
        access,
        codes,
        presence,
        readAudit,
        now,
        publicUrl: () => publicUrl,
        resident: rooms.resident,
        onUserChanged: (userId) => rooms.notes.invalidateUser(userId),
        classes: classCommands({ access, router: rooms.router, now }),
        notes: { memberChanged: (gymId, memberId) => rooms.notes.invalidateMember(gymId, memberId), userChanged: (userId) => rooms.notes.invalidateUser(userId),
          policyChanged: async (gymId, policy) => void (await rooms.router.send(`gym:${gymId}`, { kind: "note", note: { type: "policy", policy } })),
          gymChanged: (gymId) => rooms.notes.invalidateGym(gymId) },
        onAnonymized: (memberId) => {
          rooms.notes.invalidateUser(memberId);
          rooms.registry.reloadRoomsMentioning(memberId);
          // Other nodes, through the Redis adapter.
          if (pub) io.serverSideEmit(keys.reloadMemberEvent, memberId);
        },
        workoutLimits: { logsPerDay: config.MAX_WORKOUT_LOGS_PER_DAY, setsPerDay: config.MAX_WORKOUT_SETS_PER_DAY },
        onRevoked: async (r) => revocations?.announce(r),
        sessions,
        signIn,
        vapidPublicKey: vapid?.publicKey ?? null,
      }),
    },
    metrics,
    log,
    now,
    commandsPerSecond: config.COMMANDS_PER_SECOND,
    userLimits,
    maxRoomsPerSocket: config.MAX_ROOMS_PER_SOCKET,
    maxRoomsPerUser: config.MAX_ROOMS_PER_USER,
    gate: selfCheckInGate({ orm: db.orm, presence, now }),
    onStaffView: (userId, gymId, room) =>
      void readAudit
        .record({ gymId, actorId: userId, action: "room:join", entityType: "room", entityId: room, summary: { audience: "staff" }, commandId: null, at: now() })
        .catch((err: unknown) => log.warn({ err, room }, "audit of a staff view failed")),
    revocations,
    verify: (token) => verifier.verify(token),
  });

  const router = new Router()
    .use(async (req) => {
      req.ip = clientAddress(req.ip, req.headers["x-forwarded-for"], config.TRUST_PROXY);
      return null;
    })
    .use((req) => httpLimits.byAddress(req));
  addOperatorRoutes(router, {
    db,
    metrics,
    nodeId: config.NODE_ID,
    metricsToken: config.METRICS_TOKEN,
    redisAlive: async () => (pub ? redisAlive(pub) : null),
  });
  // Public halves of the check-in signing keys (JWKS): an offline desk verifies members' codes with these alone.
  router.get("/api/checkin-keys.json", () => json(200, codes.publicKeys(now())));
  signIn?.addRoutes(router);
  if (sessions) addFactorSignInRoutes(router, { factors, sessions, now });
  addExportRoutes(router, { orm: db.orm, access, verifier, now, limits: httpLimits, readAudit });
  addImportRoutes(router, {
    orm: db.orm, access, verifier, now, limits: httpLimits, notes: { gymChanged: (gymId) => rooms.notes.invalidateGym(gymId) },
    invite: signIn ? inviteImported(db.orm, signIn.invitations) : undefined,
  });
  // After the exports: its /api/gyms/* prefix routes take only the gym paths the exports do not serve.
  addFactorAccountRoutes(router, { factors, orm: db.orm, verifier, limits: httpLimits, now });
  // The public trial form: its own budgets (per address, per gym), on top of the per-address guard of every route.
  addTrialRoutes(router, {
    ports: {
      store: trialStore(db.orm), bookings: trialBookings({ access, router: rooms.router, now }), mail: signIn?.outbox ?? null,
      memberChanged: (gymId, memberId) => rooms.notes.invalidateMember(gymId, memberId), leadsChanged: (gymId) => leadsChanged(db.orm, gymId),
      newId: randomUUID, now, publicUrl: () => publicUrl,
    },
    perAddress: sharedLimits("trial-ip", { rate: 10 / 3_600, burst: 5 }),
    perGym: sharedLimits("trial-gym", { rate: 300 / 3_600, burst: 30 }),
  });
  // Below the API's own routes: any other /api path is a 404 in JSON, never the member app's page.
  const sourceMaps = config.SPOTTER_MODE === "embedded";
  router
    .get("/api/*", () => json(404, { error: { code: "NOT_FOUND", message: "No such endpoint." } }))
    .get("/admin/*", staticApp(resolve("web-admin/dist"), "/admin", { sourceMaps }))
    .get("/*", staticApp(resolve("member-web/dist"), "", { sourceMaps }));
  gate.open(router);
  log.info({ port: listening.port, transport: listening.transport, mode: config.SPOTTER_MODE, redis: Boolean(pub) }, "spotter listening");

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info("shutting down");
      protocol.close();
      connectionCounts.perUser.close();
      stopBoardChanges();
      stopLeadSink();
      await rooms.close();
      await delivery.stop();
      await readAudit.stop();
      await signIn?.close();
      // This node's sockets only: io.disconnectSockets() goes through the Redis adapter and closed every node's sockets.
      io.local.disconnectSockets(true);
      await new Promise<void>((r) => io.close(() => r()));
      await listening.close().catch(() => undefined);
      await Promise.allSettled([pub?.quit(), sub?.quit()]);
      await settleAnchors(db.orm);
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
    close,
  };
}
