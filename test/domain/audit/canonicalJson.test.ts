/** The one-pass canonical JSON equals its definition (entries sorted by `<`, undefined members dropped) on any value. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../domain/audit/canonicalJson.js";

/** The definition the audit chain was hashed with; rows written before the one-pass form must verify unchanged. */
function definition(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(definition).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${definition(v)}`).join(",")}}`;
}

describe("canonicalJson", () => {
  it("equals the definition on any JSON-like value, with undefined members and non-ASCII keys", () => {
    const leaf = fc.oneof(fc.string({ unit: "grapheme" }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node")), fc.dictionary(fc.string({ unit: "binary" }), tie("node"))),
    })).node;
    fc.assert(fc.property(value, (v) => canonicalJson(v) === definition(v)), { numRuns: 500 });
  });

  it("sorts keys by code unit and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: [true, null, undefined], é: undefined, Z: { y: 2, x: 1 } })).toBe('{"Z":{"x":1,"y":2},"a":[true,null,null],"b":1}');
  });

  it("refuses non-finite numbers", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});
