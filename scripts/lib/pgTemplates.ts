/**
 * A migrated, empty PostgreSQL database that test databases are cloned from (`create database … template …`), so a
 * suite whose database only needs to be migrated skips the ~40 migrations (seconds of DDL on a busy machine).
 * Named by a hash of the migrations (as loaded) and the migrator's version: a changed migration makes a new template. A suite
 * that tests migrating itself asks `createTestDatabase` for an empty database, as before.
 */
import { randomBytes } from "node:crypto";
import { knex } from "@mikro-orm/knex";
import { migrateUp, openDatabase } from "../../server/db/orm.js";
import { migrationsKey } from "./pgliteTemplates.js";

const templates = new Map<string, Promise<string>>();

function withAdmin<T>(baseUrl: string, run: (admin: ReturnType<typeof knex>) => Promise<T>): Promise<T> {
  const admin = knex({ client: "pg", connection: { connectionString: baseUrl, connectionTimeoutMillis: 2_000 }, pool: { min: 0, max: 1 } });
  return run(admin).finally(() => admin.destroy());
}

function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The template's name on the server of `baseUrl`, built (migrated in a database of its own, then renamed) on first use. */
export function migratedPostgresTemplate(baseUrl: string): Promise<string> {
  let made = templates.get(baseUrl);
  if (!made) {
    made = (async () => {
      const key = migrationsKey(["node_modules/@mikro-orm/migrations/package.json"]);
      const name = `spotter_tpl_${key}`;
      const exists = async () =>
        withAdmin(baseUrl, async (admin) => (await admin.raw(`select 1 from pg_database where datname = ?`, [name])).rows.length > 0);
      if (await exists()) return name;
      const building = `${name}_b${randomBytes(4).toString("hex")}`;
      await withAdmin(baseUrl, (admin) => admin.raw(`create database "${building}"`));
      try {
        const db = await openDatabase({ kind: "postgres", url: databaseUrl(baseUrl, building) }, 1);
        try {
          await migrateUp(db);
        } finally {
          await db.close();
        }
        await withAdmin(baseUrl, (admin) => admin.raw(`alter database "${building}" rename to "${name}"`));
      } catch (err) {
        await withAdmin(baseUrl, (admin) => admin.raw(`drop database if exists "${building}" with (force)`));
        if (!(await exists())) throw err; // else another test process finished first
      }
      return name;
    })();
    made.catch(() => templates.delete(baseUrl));
    templates.set(baseUrl, made);
  }
  return made;
}
