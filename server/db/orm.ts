import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { MikroORM, type Options } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { PGliteDriver } from "mikro-orm-pglite";
import { migrationsList } from "../../migrations/index.js";
import { DirectoryLocked, lockDirectory } from "./directoryLock.js";
import { allEntities } from "./entities/index.js";

/** Where the database lives: a PostgreSQL URL, or a PGlite directory (`memory://` for tests). */
export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

/** The ORM plus the PGlite instance it borrows (closed together). */
export interface Database {
  orm: MikroORM;
  target: DatabaseTarget;
  close(): Promise<void>;
}

function baseOptions(): Options {
  return {
    entities: allEntities,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      migrationsList,
      path: resolve("migrations"),
      pathTs: resolve("migrations"),
      tableName: "mikro_orm_migrations",
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: "ts",
      silent: true,
    },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
  };
}

/** Connections a node keeps open (and warms before it serves: `server/warmUp.ts`). */
export const WARM_CONNECTIONS = 4;

/** Opens the database. Both targets run the same entities, migrations and SQL. */
export async function openDatabase(target: DatabaseTarget, poolMax = 10): Promise<Database> {
  if (target.kind === "postgres") {
    const orm = await MikroORM.init({
      ...baseOptions(),
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      // Kept open when idle: a connection opened inside a request costs it a connect and a fresh backend's catalog reads.
      pool: { min: Math.min(WARM_CONNECTIONS, poolMax), max: poolMax },
    });
    return { orm, target, close: () => orm.close(true) };
  }
  const unlock = target.dir === "memory://" ? () => undefined : lockEmbedded(target.dir);
  try {
    const pglite = target.dir === "memory://" ? new PGlite() : new PGlite(target.dir);
    await pglite.waitReady;
    const orm = await MikroORM.init({
      ...baseOptions(),
      driver: PGliteDriver,
      dbName: "postgres",
      driverOptions: { connection: { pglite: () => pglite } },
    });
    return {
      orm,
      target,
      close: async () => {
        try {
          await orm.close(true);
          await pglite.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** A second process on the same embedded database (PGlite has no lock of its own): refused with the holder's PID. */
export class EmbeddedDatabaseInUse extends Error {}

/**
 * Locks `dir` (through `dir.lock` beside it) for this process: two processes on one PGlite directory each
 * acknowledge writes the other never sees, and lose them on restart.
 */
function lockEmbedded(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  try {
    return lockDirectory(`${dir}.lock`);
  } catch (err) {
    if (!(err instanceof DirectoryLocked)) throw err;
    const where = err.host === hostname() ? `process ${err.pid}` : `process ${err.pid} on ${err.host}`;
    throw new EmbeddedDatabaseInUse(
      `the embedded database in ${dir} is in use by ${where} (lock file ${err.path}): stop that process, or give this one its own DATA_DIR`,
    );
  }
}

/** The embedded database lives in DATA_DIR/pg. */
export function embeddedTarget(dataDir: string): DatabaseTarget {
  return { kind: "pglite", dir: join(dataDir, "pg") };
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const pending = await db.orm.getMigrator().getPendingMigrations();
  return pending.map((m) => m.name);
}

/** Applies every pending migration; returns their names. */
export async function migrateUp(db: Database): Promise<string[]> {
  const applied = await db.orm.getMigrator().up();
  return applied.map((m) => m.name);
}
