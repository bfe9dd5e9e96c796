import { afterAll, beforeAll } from "vitest";
import { migrateUp, openDatabase, type Database } from "../../server/db/orm.js";
import { aGym, type GymFixture } from "./gymFixture.js";
import { createTestDatabase, type Service, type TestDatabase } from "./services.js";

/** A suite's own database (PostgreSQL, else in-memory PGlite), migrated, with one gym in it (see `withMigratedGym`). */
export interface MigratedGym {
  readonly db: Database;
  readonly gym: GymFixture;
  /** The PostgreSQL database's URL, for a second connection (another "node"); a PGlite suite has none (it throws). */
  readonly url: string;
}

/**
 * Gives the calling `describe` a fresh, migrated database with one gym, opened before its tests and dropped after
 * them: PostgreSQL when `pg` answered, else in-memory PGlite (for `postgresOrPglite`; a suite that opens a second
 * connection through `url` needs `requirePostgres` and `describe.skipIf(!pg.ok)`).
 * @example const t = withMigratedGym(pg, { capacity: 5, members: 3 }); … t.db.orm, t.gym.members[0]
 */
export function withMigratedGym(
  pg: Service,
  options: { capacity: number; members: number; startsInMinutes?: number; pool?: number; beforeClose?: (db: Database) => Promise<void> },
): MigratedGym {
  let made: TestDatabase | undefined;
  let db: Database | undefined;
  let gym: GymFixture | undefined;
  beforeAll(async () => {
    if (pg.ok) made = await createTestDatabase(pg.url, { migrated: true });
    db = await openDatabase(made ? { kind: "postgres", url: made.url } : { kind: "pglite", dir: "memory://" }, options.pool ?? 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: options.capacity, members: options.members, startsInMinutes: options.startsInMinutes });
  }, 120_000);
  afterAll(async () => {
    if (db && options.beforeClose) await options.beforeClose(db);
    await db?.close();
    await made?.drop();
  });
  return {
    get db() {
      return db!;
    },
    get gym() {
      return gym!;
    },
    get url() {
      if (!made) throw new Error("a second connection needs PostgreSQL (TEST_DATABASE_URL)");
      return made.url;
    },
  };
}
