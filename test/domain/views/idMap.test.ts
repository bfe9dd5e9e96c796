/** IdMap: an immutable id map whose updates copy a few small nodes; it must behave as a plain record would. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdMap } from "../../../domain/views/idMap.js";

const opArb = fc.oneof(
  fc.record({ op: fc.constant("set" as const), key: fc.string({ maxLength: 3 }), value: fc.integer() }),
  fc.record({ op: fc.constant("delete" as const), key: fc.string({ maxLength: 3 }) }),
);

describe("IdMap", () => {
  it("holds what a plain record holds after any sets and deletes, and leaves every earlier version unchanged", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), fc.integer()), fc.array(opArb, { maxLength: 60 }), (start, ops) => {
        let map = IdMap.from(start);
        const model = new Map(Object.entries(start));
        const versions: [IdMap<number>, Record<string, number>][] = [];
        for (const o of ops) {
          versions.push([map, Object.fromEntries(model)]);
          if (o.op === "set") {
            map = map.set(o.key, o.value);
            model.set(o.key, o.value);
          } else {
            map = map.delete(o.key);
            model.delete(o.key);
          }
          expect(map.get(o.key)).toBe(model.get(o.key));
        }
        expect(map.size).toBe(model.size);
        expect(map.toRecord((a, b) => a - b)).toEqual(Object.fromEntries(model));
        for (const [old, record] of versions) expect(old.toRecord((a, b) => a - b)).toEqual(record);
      }),
    );
  });

  it("orders a snapshot's entries by the given order", () => {
    const map = IdMap.from({ b: 2, c: 3, a: 1 }).set("d", 0);
    expect(Object.keys(map.toRecord((x, y) => x - y))).toEqual(["d", "a", "b", "c"]);
  });
});
