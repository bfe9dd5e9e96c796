/**
 * Real services for tests: PostgreSQL (TEST_DATABASE_URL), Redis (TEST_REDIS_URL) and a running Spotter node.
 *
 * Outside CI a missing service skips the suites that need it, with one visible line saying why.
 * Under CI=true a missing service fails the run: CI never skips.
 *
 * @example
 * const pg = await requirePostgres();
 * describe.skipIf(!pg.ok)("on PostgreSQL", () => { ... pg.url ... });
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knex } from "@mikro-orm/knex";
import { createClient } from "redis";
import { loadConfig, type Config } from "../../server/config.js";
import { createServer, type ServerOptions, type SpotterServer } from "../../server/createServer.js";
import type { DatabaseTarget } from "../../server/db/orm.js";
import { withDemoDatabase, withMigratedDatabase } from "./pgliteTemplates.js";
import { migratedPostgresTemplate } from "./pgTemplates.js";

/** A service that answered (`url`), or why it is missing (`reason`). */
export type Service = { ok: true; url: string } | { ok: false; url: undefined; reason: string };

const inCi = () => process.env.CI === "true" || process.env.CI === "1";

async function requireService(variable: string, what: string, probe: (url: string) => Promise<void>): Promise<Service> {
  const found = await probeService(variable, what, probe);
  if (!found.ok) skipped(what, found.reason);
  return found;
}

/** The service named by `variable` if it answers; under CI its absence throws (CI never runs on less). */
async function probeService(variable: string, what: string, probe: (url: string) => Promise<void>): Promise<Service> {
  const url = process.env[variable];
  let reason: string | undefined;
  if (!url) reason = `${variable} is not set`;
  else {
    try {
      await probe(url);
    } catch (err) {
      reason = `${variable}=${url} does not answer (${(err as Error).message})`;
    }
  }
  if (reason === undefined) return { ok: true, url: url! };
  if (inCi()) throw new Error(`CI=true needs ${what}: ${reason}`);
  return { ok: false, url: undefined, reason };
}

/**
 * Tells why a suite is skipped: under Vitest into the run's skip file (`SPOTTER_SKIPS`, set by
 * test/support/skipSummary.ts, which prints one line for the whole run); elsewhere on stderr.
 */
function skipped(what: string, reason: string): void {
  const file = callerFile();
  const record = process.env.SPOTTER_SKIPS;
  if (record) appendFileSync(record, `${JSON.stringify({ file, what, reason })}\n`);
  else console.warn(`[skip] ${what} tests in ${file}: ${reason}`);
}

function callerFile(): string {
  const line = new Error().stack?.split("\n").find((l) => l.includes(".test.ts")) ?? "";
  return /([\w./-]+\.test\.ts)/.exec(line)?.[1]?.replace(/^.*?\/test\//, "test/") ?? "this file";
}

const pingPostgres = async (url: string) => {
  const db = adminConnection(url);
  try {
    await db.raw("select 1");
  } finally {
    await db.destroy();
  }
};

/** PostgreSQL from TEST_DATABASE_URL, checked with `select 1`; for suites that need a PostgreSQL server. Throws under CI when missing. */
export function requirePostgres(): Promise<Service> {
  return requireService("TEST_DATABASE_URL", "PostgreSQL", pingPostgres);
}

/**
 * PostgreSQL from TEST_DATABASE_URL when it answers, else nothing (not a skip): for suites that need one database of
 * their own and no second process, which then run on the embedded PGlite (see {@link suiteDatabase}). Throws under CI when missing.
 */
export function postgresOrPglite(): Promise<Service> {
  return probeService("TEST_DATABASE_URL", "PostgreSQL", pingPostgres);
}

/** A suite's own database: `env` for `startTestServer`, `drop()` after the server closed. */
export interface SuiteDatabase {
  name: "PostgreSQL" | "PGlite";
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database when `pg` answered, else the embedded PGlite of the test server's own DATA_DIR (migrated too). */
export async function suiteDatabase(pg: Service): Promise<SuiteDatabase> {
  if (!pg.ok) return { name: "PGlite", env: {}, drop: async () => undefined };
  const db = await createTestDatabase(pg.url, { migrated: true });
  return { name: "PostgreSQL", env: { DATABASE_URL: db.url }, drop: db.drop };
}

/** Redis from TEST_REDIS_URL, checked with PING. Throws under CI when missing. */
export function requireRedis(): Promise<Service> {
  return requireService("TEST_REDIS_URL", "Redis", async (url) => {
    const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
    client.on("error", () => undefined);
    await client.connect();
    try {
      await client.ping();
    } finally {
      client.destroy();
    }
  });
}

function adminConnection(url: string) {
  return knex({ client: "pg", connection: { connectionString: url, connectionTimeoutMillis: 2_000 }, pool: { min: 0, max: 1 } });
}

/** A PostgreSQL database of its own; `drop()` removes it (also when connections are still open). */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty, uniquely named database (`spotter_t_<random>`) on the server of `baseUrl`,
 * so test files never see each other's rows or schema; `migrated: true` clones it from the migrated template
 * (pgTemplates.ts) instead, for a suite that would only migrate it.
 */
export async function createTestDatabase(baseUrl: string, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `spotter_t_${randomBytes(6).toString("hex")}`;
  const template = options.migrated ? ` template "${await migratedPostgresTemplate(baseUrl)}"` : "";
  const admin = adminConnection(baseUrl);
  try {
    await admin.raw(`create database "${name}"${template}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const conn = adminConnection(baseUrl);
      try {
        await conn.raw(`drop database if exists "${name}" with (force)`);
      } finally {
        await conn.destroy();
      }
    },
  };
}

/** An empty database to run the same suite against. */
export interface EmptyDatabase {
  name: "PGlite" | "PostgreSQL";
  /** Creates the empty database; `dispose()` drops it (after the caller closed its connections). */
  create(): Promise<{ target: DatabaseTarget; dispose(): Promise<void> }>;
}

/**
 * In-memory PGlite, plus a fresh PostgreSQL database when `pg` answered (`requirePostgres` already said why not).
 * @example describe.each(emptyDatabases(pg))("bookings on $name", ({ create }) => { ... })
 */
export function emptyDatabases(pg: Service): EmptyDatabase[] {
  const pglite: EmptyDatabase = {
    name: "PGlite",
    create: async () => ({ target: { kind: "pglite", dir: "memory://" }, dispose: async () => undefined }),
  };
  if (!pg.ok) return [pglite];
  const postgres: EmptyDatabase = {
    name: "PostgreSQL",
    create: async () => {
      const fresh = await createTestDatabase(pg.url);
      return { target: { kind: "postgres", url: fresh.url }, dispose: fresh.drop };
    },
  };
  return [pglite, postgres];
}

/** A fresh, empty temporary directory (removed by the caller, or by `startTestServer`'s cleanup when it made it). */
export function makeTempDir(prefix = "spotter-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A Spotter node started in-process, plus what a test needs to talk to it and to stop it. */
export interface TestServer {
  server: SpotterServer;
  config: Config;
  dataDir: string;
  /** Closes the server and removes the data directory when this helper created it. Idempotent. */
  cleanup(): Promise<void>;
}

export { withDemoDatabase, withMigratedDatabase } from "./pgliteTemplates.js";

/**
 * Starts a node on a free port with a fresh temporary DATA_DIR (embedded PGlite unless DATABASE_URL is given;
 * a DATA_DIR without a database yet starts from a copy of a migrated template, see pgliteTemplates.ts).
 * Starts from an empty environment (no DATABASE_URL/REDIS_URL leaks in from the shell);
 * the demo gym is not seeded unless `SEED_DEMO: "true"` is passed. On embedded PGlite with the real clock the
 * seeded demo comes from a copy of this quarter hour's demo template (seeding costs seconds of CPU per test file);
 * with `options.now` (a test's own clock) the node seeds it itself, at that clock's time.
 */
export async function startTestServer(
  overrides: Record<string, string | undefined> = {},
  options: ServerOptions = {},
): Promise<TestServer> {
  const ownDir = overrides.DATA_DIR === undefined;
  const dataDir = overrides.DATA_DIR ?? makeTempDir();
  const removeDir = () => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let server: SpotterServer;
  let config: Config;
  try {
    config = loadConfig(
      {
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
        SEED_DEMO: "false",
        WARM_UP_MS: "0",
        ...overrides,
        DATA_DIR: dataDir,
      },
      `test-${process.pid}`,
    );
    // NO_DEMO_TEMPLATE=1: seed the demo in this server instead of copying the shared seeded directory.
    const demoCopy = config.SEED_DEMO && !options.now && !process.env.NO_DEMO_TEMPLATE;
    if (!config.DATABASE_URL) await (demoCopy ? withDemoDatabase : withMigratedDatabase)(dataDir);
    server = await createServer(config, options);
  } catch (err) {
    removeDir();
    throw err;
  }
  let cleaned: Promise<void> | undefined;
  return {
    server,
    config,
    dataDir,
    cleanup: () => (cleaned ??= server.close().finally(removeDir)),
  };
}

/** Server settings for a suite that runs on embedded PGlite and, when it answers, on a fresh PostgreSQL database. */
export interface ServerTarget {
  name: string;
  env(): Promise<{ env: Record<string, string>; db?: TestDatabase }>;
}

/** PGlite always; PostgreSQL too when `pg` answered (a fresh database per suite, dropped by the caller via `db`). */
export function serverTargets(pg: Service): ServerTarget[] {
  const pglite: ServerTarget = { name: "embedded PGlite", env: async () => ({ env: {} }) };
  if (!pg.ok) return [pglite];
  const url = pg.url;
  return [
    pglite,
    {
      name: "PostgreSQL",
      env: async () => {
        const db = await createTestDatabase(url);
        return { env: { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "t".repeat(40) }, db };
      },
    },
  ];
}
