/**
 * Closed PGlite directories that test servers start from (a copy each, so every test keeps a database of its own),
 * shared by all test processes through the temp folder:
 * - migrated and empty, keyed by the migrations and the PGlite version (creating a PGlite directory takes 1.5–3 s;
 *   copying one and opening it ~0.3 s);
 * - migrated with the demo gym seeded (`seedDemo`, ~400 audited transactions through the use cases: seconds of CPU
 *   per test file), keyed by the PGlite and MikroORM versions and every source the seed runs (migrations, server/,
 *   app/, domain/, rooms/), and by the quarter hour it was seeded in. The demo lays its classes on quarter hours around `now`
 *   (four slots a day, an open gym since half an hour, a class within the hour), so within one quarter hour a copy
 *   holds the same classes, the same past and upcoming bookings and the same day as a fresh seed would; only the
 *   instants counted from `now` (joined, posted, signed) are up to 15 minutes older.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "../../server/demo/seedDemo.js";
import { migrationsList } from "../../migrations/index.js";
import { embeddedTarget, migrateUp, openDatabase } from "../../server/db/orm.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const QUARTER_HOUR = 15 * 60_000;
const DEMO_PREFIX = "spotter-pglite-demo-";

/** Adds every file under `dir` (sorted, recursively) to `hash`, name and content. */
function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path);
    else hash.update(path.slice(ROOT.length)).update(readFileSync(path));
  }
}

/** A short hash of the named files and folders (relative to the project), to name a template by what built it. */
function sourceKey(trees: readonly string[], files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(join(ROOT, file)));
  for (const tree of trees) hashTree(hash, join(ROOT, tree));
  return hash.digest("hex").slice(0, 16);
}

/**
 * A short hash of the migrations this process applies (names and code as loaded, not as on disk now: a migration
 * edited during a run must not land in a template named after it) and of the package files named.
 */
export function migrationsKey(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(join(ROOT, file)));
  for (const m of migrationsList) hash.update(m.name).update(String(m.class));
  return hash.digest("hex").slice(0, 16);
}

const PGLITE = "node_modules/@electric-sql/pglite/package.json";
// Read as the code is loaded (this module is imported with the server's code), not when the template is first needed.
const MIGRATED_KEY = migrationsKey([PGLITE]);
const DEMO_KEY = `${MIGRATED_KEY.slice(0, 8)}${sourceKey(["server", "app", "domain", "rooms"], [PGLITE, "node_modules/@mikro-orm/core/package.json"]).slice(0, 8)}`;

/** Builds `dir` once (in a folder of its own, renamed into place: the first test process to finish wins). */
async function buildOnce(dir: string, build: (into: string) => Promise<void>): Promise<string> {
  if (existsSync(join(dir, "PG_VERSION"))) return dir;
  const building = mkdtempSync(`${dir}.building-`);
  try {
    await build(building);
    renameSync(building, dir);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(dir, "PG_VERSION"))) throw err; // else another test process finished first
  }
  return dir;
}

let migrated: Promise<string> | undefined;

/** The migrated, empty template. */
function migratedTemplate(): Promise<string> {
  return (migrated ??= buildOnce(join(tmpdir(), `spotter-pglite-template-${MIGRATED_KEY}`), async (into) => {
    const db = await openDatabase({ kind: "pglite", dir: into });
    await migrateUp(db);
    await db.close();
  }));
}

const demoTemplates = new Map<number, Promise<string>>();

/** The demo template of this quarter hour (seeded at its first use); older quarters' templates are removed. */
function demoTemplate(now: number): Promise<string> {
  const quarter = Math.floor(now / QUARTER_HOUR);
  let made = demoTemplates.get(quarter);
  if (!made) {
    const dir = join(tmpdir(), `${DEMO_PREFIX}${DEMO_KEY}-${quarter}`);
    made = buildOnce(dir, async (into) => {
      removeOldDemoTemplates(quarter);
      cpSync(await migratedTemplate(), into, { recursive: true });
      const db = await openDatabase({ kind: "pglite", dir: into });
      try {
        await migrateUp(db); // nothing to apply, unless the migrated template is older than this process's migrations
        // Seeded now, as a node would, but never past this quarter hour (a seed started at its end may finish in the next).
        await seedDemo(db.orm, Math.min(Date.now(), (quarter + 1) * QUARTER_HOUR - 1));
      } finally {
        await db.close();
      }
    });
    demoTemplates.set(quarter, made);
  }
  return made;
}

/** Demo templates (of any sources) older than the quarter hour before this one: nobody copies them any more. */
function removeOldDemoTemplates(quarter: number): void {
  for (const name of readdirSync(tmpdir())) {
    const match = new RegExp(`^${DEMO_PREFIX}[0-9a-f]+-(\\d+)(\\.building-.*)?$`).exec(name);
    if (match && Number(match[1]) < quarter - 1) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** Gives a DATA_DIR without an embedded database a migrated one (a copy of the template); returns the directory. */
export async function withMigratedDatabase(dataDir: string): Promise<string> {
  const target = embeddedTarget(dataDir);
  if (target.kind === "pglite" && !existsSync(target.dir)) cpSync(await migratedTemplate(), target.dir, { recursive: true });
  return dataDir;
}

/**
 * Gives a DATA_DIR without an embedded database one with the demo gym seeded this quarter hour (a copy of the demo
 * template), as a node started with SEED_DEMO=true on that DATA_DIR would have seeded it; returns the directory.
 */
export async function withDemoDatabase(dataDir: string): Promise<string> {
  const target = embeddedTarget(dataDir);
  if (target.kind === "pglite" && !existsSync(target.dir)) cpSync(await demoTemplate(Date.now()), target.dir, { recursive: true });
  return dataDir;
}
