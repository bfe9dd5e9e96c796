/**
 * What a node does before it serves: bind the port, join Redis, load its keys and open (and migrate, and seed) the
 * database — each failing fast with a {@link StartupError} a person can act on — and the handshake trimming every socket gets.
 */
import type { Server as IoServer, Socket } from "socket.io";
import type { Config } from "./config.js";
import { EmbeddedDatabaseInUse, embeddedTarget, migrateUp, openDatabase, pendingMigrations, type Database } from "./db/orm.js";
import { isEmpty, seedDemo } from "./demo/seedDemo.js";
import { sealStoredSecrets } from "./persistence/sealStoredSecrets.js";
import { clientAddress } from "./http/clientAddress.js";
import { SecretBox, secretsKeyOf } from "./persistence/secretBox.js";
import { loadCodeKeyring } from "./checkin/codeKeys.js";
import { PresenceCodes } from "./checkin/presenceCodes.js";
import { MemberCodes } from "./realtime/memberCodes.js";
import type { StartingGate } from "./http/startingGate.js";
import { listen, type Listening } from "./http/transport.js";
import type { Logger } from "./logger.js";
import { connectRedis, type RedisClient } from "./redis.js";
import { createEchoFreeAdapter } from "./cluster/echoFreeAdapter.js";
import { keys } from "../rooms/keys.js";

/** Refusal to start with a reason a person can act on (exit status 2). */
export class StartupError extends Error {}

/** The node's keys and its database: the secret box, check-in and presence codes (their own Ed25519 key), the prepared database. */
export async function openStores(
  config: Config,
  jwtSecret: string | undefined,
  log: Logger,
  now: () => number,
): Promise<{ box: SecretBox; codes: MemberCodes; presence: PresenceCodes; db: Database }> {
  const secretsKey = secretsKeyOf(config, jwtSecret);
  if (!secretsKey)
    throw new StartupError(
      "SECRETS_KEY is required: the key sealing TOTP seeds and single sign-on client secrets (`openssl rand -hex 32`)",
    );
  const box = new SecretBox(secretsKey);
  // Check-in codes have their own Ed25519 key: never derived from the token secret or the (public) node id.
  const keyring = await loadCodeKeyring(config);
  const codes = new MemberCodes(keyring);
  const presence = new PresenceCodes(keyring.presenceSecret);
  const db = await prepareDatabase(config, log, now(), box);
  return { box, codes, presence, db };
}

/**
 * The port first: a second node on a taken port fails in milliseconds, not after migrations and seeding. Then
 * Redis (the Socket.IO adapter): an unreachable REDIS_URL fails start-up in seconds, before the database is opened.
 */
export async function bindAndConnect(
  config: Config,
  io: IoServer,
  gate: StartingGate,
  log: Logger,
): Promise<{ listening: Listening; unlisten: () => Promise<void>; pub: RedisClient | undefined; sub: RedisClient | undefined }> {
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
  let pub: RedisClient | undefined;
  let sub: RedisClient | undefined;
  try {
    if (config.REDIS_URL) {
      pub = await connectRedis(config.REDIS_URL, log, "pub");
      sub = pub.duplicate();
      sub.on("error", () => undefined);
      await sub.connect();
      // Broadcasts to other nodes; this node drops its own copies without decoding them.
      io.adapter(createEchoFreeAdapter(pub, sub, { key: keys.ioAdapter }));
    }
  } catch (err) {
    await Promise.allSettled([pub?.quit(), sub?.quit(), unlisten()]);
    throw new StartupError(`cannot connect to REDIS_URL: ${(err as Error).message}`);
  }
  return { listening, unlisten, pub, sub };
}

export async function prepareDatabase(config: Config, log: Logger, now: number, box: SecretBox): Promise<Database> {
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
      const summary = await seedDemo(db.orm, now);
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
export function forgetHandshake(socket: Socket, trustedHops: number): void {
  socket.handshake.address = clientAddress(socket.handshake.address, socket.handshake.headers["x-forwarded-for"], trustedHops);
  const agent = socket.handshake.headers["user-agent"];
  if (agent) socket.data.userAgent = String(agent).slice(0, 400);
  const { url, _query } = socket.request as unknown as { url?: string; _query?: unknown };
  socket.handshake.auth = FORGOTTEN;
  socket.handshake.headers = FORGOTTEN;
  socket.conn.request = { url, _query, headers: FORGOTTEN, connection: FORGOTTEN } as unknown as Socket["request"];
}
