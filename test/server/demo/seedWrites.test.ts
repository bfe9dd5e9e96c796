/**
 * Issue 18 "Done when": the demo gym is made through the same use cases as a real one — no seed-only write path. This
 * reads the seed's own modules (everything under server/demo/ that seedDemo.ts reaches) and fails when one of them
 * writes to the database itself (ORM writes, raw SQL) or imports anything from the persistence layer other than the
 * stores it hands to use cases as their ports. The one write the seed still makes itself is listed below, with why.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DEMO = join(ROOT, "server/demo");

/** What the seed may import from the server's persistence, database and transport layers: ports handed to use cases, reads. */
const Allowed: Record<string, readonly string[]> = {
  "server/persistence/accessReads.ts": ["accessReads"],
  "server/persistence/adminStore.ts": ["adminStore"],
  "server/persistence/authLog.ts": ["PgAuthLog"],
  "server/persistence/bookingImportStore.ts": ["bookingImportStore"],
  "server/persistence/classStore.ts": ["classStore"],
  "server/persistence/feedRequestStore.ts": ["feedRequestStore"],
  "server/persistence/gymStore.ts": ["gymStore"],
  "server/persistence/historyStore.ts": ["historyStore"],
  "server/persistence/holdingImportStore.ts": ["holdingImportStore"],
  "server/persistence/invitationStore.ts": ["PgInvitationStore"],
  "server/persistence/leadStore.ts": ["leadStore"],
  "server/persistence/meStore.ts": ["meStore"],
  "server/persistence/memberImportStore.ts": ["memberImportStore"],
  // Waits for the side effects of the rooms' commits (applied by the outbox, as on a node) before the seed returns.
  "server/persistence/outbox.ts": ["settleOutbox"],
  "server/persistence/segmentStore.ts": ["segmentStore"],
  "server/persistence/sessionStore.ts": ["PgSessionStore"],
  "server/persistence/setupStore.ts": ["setupStore"],
  "server/persistence/standingsSource.ts": ["standingsSource"],
  "server/persistence/trainingRequestStore.ts": ["trainingRequestStore"],
  "server/persistence/userStore.ts": ["userStore"],
  // Entities for reads only (whether a gym or the leads exist; the newest feed cards): writes are caught below.
  "server/db/entities/index.ts": ["GymEntity", "LeadEntity", "FeedEventEntity"],
  "server/realtime/access.ts": ["AccessControl"],
  "server/realtime/classCommands.ts": ["classCommands"],
  "server/signin/createGym.ts": ["createGym"],
  "server/auth.ts": ["accessTokenSigner", "nodeSecrets"],
  /**
   * The check-in and streak milestone cards: the system makes these when a member's 10th, 50th or 100th check-in or a
   * 7-, 14- or 30-day streak commits (persistence/attendanceStreaks.ts). The demo's two weeks of history hold no such
   * counts, so no use case can make them; they are written as the system writes them, once (dedupe keys).
   */
  "server/persistence/feedStore.ts": ["appendFeedEvents"],
};

/** Imports allowed in one seed module only. */
const OnlyIn: Record<string, string> = { "server/persistence/feedStore.ts": "server/demo/seedFeed.ts" };

/** ORM writes and raw SQL: a seed module that has any of these writes around the use cases. */
const Writes = [
  /\.(insert|insertMany|nativeInsert|nativeUpdate|nativeDelete|upsert|upsertMany|persist|persistAndFlush|flush|remove)\s*\(/,
  /\.(execute|getConnection|getKnex|raw)\s*\(/,
  /\b(insert\s+into|update\s+\w+\s+set|delete\s+from|select\s[\s\S]*?\sfrom)\b/i,
];

/** `import { a, b as c } from "./x.js"` → [["./x.js", ["a", "b"]]] (type-only imports left out: they run nothing). */
function importsOf(source: string): [string, string[]][] {
  const found: [string, string[]][] = [];
  for (const m of source.matchAll(/^import\s+(?!type\b)([\s\S]*?)\s+from\s+"([^"]+)";/gm)) {
    const names = [...(m[1]!.match(/\{([\s\S]*)\}/)?.[1] ?? m[1]!).split(",")]
      .map((n) => n.trim())
      .filter((n) => n && !n.startsWith("type "))
      .map((n) => n.split(/\s+as\s+/)[0]!);
    found.push([m[2]!, names]);
  }
  for (const m of source.matchAll(/^export\s+\{([^}]*)\}\s+from\s+"([^"]+)";/gm))
    found.push([m[2]!, m[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/)[0]!)]);
  return found;
}

/** The seed's own modules: server/demo files reachable from seedDemo.ts through relative imports. */
function seedModules(): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file) || !file.startsWith(DEMO)) return;
    const source = readFileSync(file, "utf8");
    seen.set(file, source);
    for (const [spec] of importsOf(source)) if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
  };
  visit(join(DEMO, "seedDemo.ts"));
  return seen;
}

describe("the demo seed", () => {
  const modules = seedModules();

  it("is made of the seed's modules under server/demo", () => {
    expect([...modules.keys()].map((f) => relative(ROOT, f))).toEqual(
      expect.arrayContaining(["server/demo/seedDemo.ts", "server/demo/demoAccounts.ts", "server/demo/demoBookings.ts"]),
    );
  });

  it("writes nothing itself: no ORM writes and no SQL in its modules", () => {
    const found = [...modules].flatMap(([file, source]) =>
      source
        .split("\n")
        .flatMap((line, i) => (Writes.some((w) => w.test(line)) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it("imports from the persistence layer only the stores it hands to use cases (and the one write listed)", () => {
    const found = [...modules].flatMap(([file, source]) =>
      importsOf(source).flatMap(([spec, names]) => {
        if (!spec.startsWith(".")) return [];
        const target = relative(ROOT, resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
        if (target.startsWith("server/demo/") || !target.startsWith("server/")) return [];
        const only = OnlyIn[target];
        const allowed = only === undefined || only === relative(ROOT, file) ? (Allowed[target] ?? []) : [];
        return names.filter((n) => !allowed.includes(n)).map((n) => `${relative(ROOT, file)} imports ${n} from ${target}`);
      }),
    );
    expect(found).toEqual([]);
  });
});
