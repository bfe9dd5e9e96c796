import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../domain");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Source without comments, so JSDoc examples (`import { io } from "socket.io-client"`) don't count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'])\/\/[^\n]*/g, "$1");
}

/** Things the pure domain must never touch: I/O, ambient time, randomness, environment. */
const Forbidden: [string, RegExp][] = [
  ["node: import", /from\s+["']node:|import\(\s*["']node:|require\(/],
  ["node built-in import", /from\s+["'](fs|path|os|net|http|https|crypto|child_process|worker_threads|timers)["']/],
  ["socket.io", /from\s+["']socket\.io/],
  ["uWebSockets", /from\s+["']uWebSockets/],
  ["MikroORM", /from\s+["']@mikro-orm/],
  ["redis", /from\s+["'](redis|@socket\.io\/redis-adapter|ioredis)["']/],
  ["pino", /from\s+["']pino["']/],
  ["Date.now()", /Date\.now\(/],
  ["new Date() without argument", /new Date\(\s*\)/],
  ["Math.random()", /Math\.random\(/],
  ["process.env", /process\.env/],
];

const classFiles = sources(join(root, "class")).concat(
  sources(join(root, "schedule")),
  sources(join(root, "attendance")),
  sources(join(root, "checkin")),
);

describe("domain purity guard", () => {
  it.each(sources(root).map((p) => [relative(root, p), p]))("%s has no I/O, ambient time, randomness or environment", (_name, path) => {
    const text = code(readFileSync(path, "utf8"));
    const hits = Forbidden.filter(([, re]) => re.test(text)).map(([what]) => what);
    expect(hits).toEqual([]);
  });

  it.each(classFiles.map((p) => [relative(root, p), p]))("%s stays under 300 lines", (_name, path) => {
    expect(readFileSync(path, "utf8").split("\n").length).toBeLessThan(300);
  });

  it("catches a forbidden line (the guard itself works)", () => {
    const bad = code(
      '/** import { io } from "socket.io-client" */\nimport { readFile } from "node:fs";\nconst t = Date.now(); // Math.random()',
    );
    expect(Forbidden.filter(([, re]) => re.test(bad)).map(([w]) => w)).toEqual(["node: import", "Date.now()"]);
  });
});
