/** The one-pass canonical JSON and chain input equal their definitions (entries sorted by `<`, undefined members dropped): audit rows hashed before verify unchanged. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../domain/audit/canonicalJson.js";
import { chainInput, type AuditRow } from "../../../domain/audit/chain.js";

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
    const leaf = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node")), fc.dictionary(fc.string({ unit: "binary" }), tie("node"))),
    })).node;
    fc.assert(
      fc.property(value, (v) => canonicalJson(v) === definition(v)),
      { numRuns: 500 },
    );
  });

  it("sorts keys by code unit and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: [true, null, undefined], é: undefined, Z: { y: 2, x: 1 } })).toBe(
      '{"Z":{"x":1,"y":2},"a":[true,null,null],"b":1}',
    );
  });

  it("quotes strings and keys exactly as JSON.stringify does, escapes and surrogates included", () => {
    for (const text of ['a"b', "a\\b", "tab\there", "\u0000\u001f", "lone \ud800", "pair \ud83d\ude00", "plain-id-123", ""])
      expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
  });

  it("sorts many keys as sort() does (the insertion sort's limit and past it)", () => {
    for (const n of [2, 16, 17, 40]) {
      const keys = Array.from({ length: n }, (_, i) => `k${(i * 7919) % 97}é${i}`);
      const value = Object.fromEntries(keys.map((k) => [k, 1]));
      expect(canonicalJson(value)).toBe(
        `{${[...keys]
          .sort()
          .map((k) => `${JSON.stringify(k)}:1`)
          .join(",")}}`,
      );
    }
  });

  it("refuses non-finite numbers", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe("chainInput", () => {
  /** The definition rows were hashed with: the previous hash, then the fields object canonically (with `chain` only on a room chain). */
  const definitionOf = (prevHash: string, row: Omit<AuditRow, "prevHash" | "hash">) => {
    const { id, gymId, chain, seq, at, actorId, role, action, entityType, entityId, summary, commandId } = row;
    const fields = { id, gymId, seq, at, actorId, role, action, entityType, entityId, summary, commandId };
    return prevHash + definition(chain === gymId ? fields : { ...fields, chain });
  };

  it("equals its definition on any row, on a room chain and on the gym-level chain", () => {
    const text = fc.option(fc.string(), { nil: null });
    const row = fc.record({
      id: fc.uuid(),
      gymId: fc.constantFrom("g1", "g2"),
      chain: fc.constantFrom("g1", "class:x"),
      seq: fc.nat(),
      at: fc.nat(),
      actorId: text,
      role: text,
      action: fc.string(),
      entityType: fc.string(),
      entityId: text,
      commandId: fc.option(fc.uuid(), { nil: null }),
      summary: fc.record({ before: fc.jsonValue(), after: fc.jsonValue() }),
    });
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), row, (prev, r) => chainInput(prev, r) === definitionOf(prev, r)),
      { numRuns: 500 },
    );
  });
});
