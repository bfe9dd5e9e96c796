/**
 * `npm run migrate` applies pending migrations to DATABASE_URL (or the embedded database).
 * `npm run migration:create -- <name>` writes a new migration from the entity/schema diff
 * (against an empty in-memory database with all current migrations applied) and lists it in migrations/index.ts.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { embeddedTarget, migrateUp, openDatabase, type DatabaseTarget } from "../db/orm.js";

const args = process.argv.slice(2);

async function create(name: string): Promise<void> {
  const db = await openDatabase({ kind: "pglite", dir: "memory://" });
  try {
    await migrateUp(db);
    const result = await db.orm.getMigrator().createMigration("migrations", false, false, name);
    if (!result.fileName) {
      console.log("No schema changes: nothing to create.");
      return;
    }
    console.log(`Created migrations/${result.fileName}`);
  } finally {
    await db.close();
  }
  writeIndex();
}

function writeIndex(): void {
  const files = readdirSync("migrations")
    .filter((f) => /^Migration\d+.*\.ts$/.test(f))
    .sort();
  const imports = files.map((f, i) => `import { ${className(f)} as M${i} } from "./${f.replace(/\.ts$/, ".js")}";`);
  const entries = files.map((f, i) => `  { name: "${f.replace(/\.ts$/, "")}", class: M${i} },`);
  writeFileSync(
    "migrations/index.ts",
    [
      'import type { MigrationObject } from "@mikro-orm/core";',
      ...imports,
      "",
      "/** Every migration, in order. Listed statically so Node, Vitest and Deno load them the same way. */",
      "export const migrationsList: MigrationObject[] = [",
      ...entries,
      "];",
      "",
    ].join("\n"),
  );
}

function className(file: string): string {
  return file.replace(/\.ts$/, "");
}

async function up(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const target: DatabaseTarget = url ? { kind: "postgres", url } : embeddedTarget(process.env.DATA_DIR ?? "./data");
  const db = await openDatabase(target, 1);
  try {
    const applied = await migrateUp(db);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
  } finally {
    await db.close();
  }
}

try {
  if (args[0] === "--create") await create(args[1] ?? "change");
  else await up();
} catch (err) {
  console.error(`migrate: ${(err as Error).message}`);
  process.exit(1);
}
