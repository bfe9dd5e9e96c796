/**
 * The `debug` loggers of the libraries on every answer's path are switched off for good without DEBUG (issue 15: a
 * disabled logger still allocated its arguments on every packet), and left alone with DEBUG set.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { quietDebug } from "../../server/quietDebug.js";

type Factory = ((ns: string) => ((...args: unknown[]) => unknown) & { enabled: boolean }) & { enabled(ns: string): boolean };
const root = createRequire(import.meta.url);
const debugOf = (pkg: string) => createRequire(root.resolve(pkg))("debug") as Factory;

describe("quietDebug", () => {
  it("leaves debug alone when DEBUG is set", () => {
    expect(quietDebug({ DEBUG: "engine*" })).toBe(0);
  });

  it("gives engine.io, Socket.IO and its parser one silent logger for every namespace", () => {
    expect(quietDebug({})).toBeGreaterThanOrEqual(3);
    for (const pkg of ["engine.io", "socket.io", "socket.io-parser"]) {
      const make = debugOf(pkg);
      const a = make(`${pkg}:a`);
      expect(a.enabled).toBe(false);
      expect(a("anything %s", "at all")).toBeUndefined();
      // One function for all: creating a logger allocates nothing either.
      expect(make(`${pkg}:b`)).toBe(a);
      // The package's own settings API is still there.
      expect(make.enabled(`${pkg}:a`)).toBe(false);
    }
  });
});
