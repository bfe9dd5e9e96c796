/**
 * Switches the `debug` package off for good in the libraries on every answer's path, when the process starts
 * without DEBUG (as in production): each of their loggers becomes one shared function that does nothing.
 *
 * A disabled `debug` logger still costs its call: `debug(...args)` gathers its arguments into a new array before it
 * finds itself disabled, and engine.io, Socket.IO and its parser call theirs several times per packet — 3–4 % of
 * everything a booking storm allocated (issue 15), garbage the collector then sweeps. knex reads its loggers'
 * `enabled` getter on every query. With DEBUG set, nothing is replaced and DEBUG works as documented.
 *
 * Must run before those libraries load (they create their loggers at load): imported first by the process entry,
 * server/main.ts. A library something preloaded before it (`node --import` of a module that imports Socket.IO, as the
 * bench's server probe does) keeps its real loggers. No-op outside Node.
 */
import { createRequire } from "node:module";

/** Libraries whose own copy of `debug` is replaced (each resolves its own: several are nested copies). */
const Users = ["engine.io", "socket.io", "socket.io-parser", "socket.io-adapter", "@socket.io/redis-adapter", "knex"];

type Debugger = ((...args: unknown[]) => void) & { enabled: boolean; namespace: string; extend(ns: string): Debugger };

/** The one logger every namespace gets: disabled, silent, and extending to itself. */
const off: Debugger = Object.assign(() => undefined, {
  enabled: false,
  namespace: "",
  extend: (): Debugger => off,
  destroy: () => true,
  log: () => undefined,
});

/**
 * Replaces, in the module cache, each listed library's `debug` with a factory answering `off`. Answers how many
 * copies were replaced (0 with DEBUG set or outside Node).
 */
export function quietDebug(env: Record<string, string | undefined> = process.env): number {
  if (env.DEBUG || "Deno" in globalThis) return 0;
  const root = createRequire(import.meta.url);
  const done = new Set<string>();
  for (const pkg of Users) {
    let path: string;
    try {
      path = createRequire(root.resolve(pkg)).resolve("debug");
    } catch {
      continue; // Not installed: nothing to quiet.
    }
    if (done.has(path)) continue;
    const real = root(path) as object;
    const cached = root.cache[path];
    if (!cached) continue;
    // Its settings functions (`enable`, `enabled(ns)`, …) stay; every logger it creates is `off`.
    const factory = Object.assign((_namespace: string): Debugger => off, real);
    cached.exports = Object.assign(factory, { debug: factory, default: factory });
    done.add(path);
  }
  return done.size;
}

quietDebug();
