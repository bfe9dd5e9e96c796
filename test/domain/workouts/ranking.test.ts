import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Ranking } from "../../../domain/workouts/ranking.js";
import { rankKey, type Division, type RankKey, type ScoreType } from "../../../domain/workouts/scores.js";

const members = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, "0")}`);

/** A small value range and few instants, so equal scores and equal submission times are common. */
const updateArb = (type: ScoreType) =>
  fc
    .record({
      memberId: fc.constantFrom(...members),
      value: fc.integer({ min: 0, max: 5 }),
      division: fc.constantFrom<Division>("rx", "scaled"),
      at: fc.integer({ min: 0, max: 3 }),
      removal: fc.boolean(),
    })
    .map((u) => ({ ...u, key: keyOf(type, u.memberId, u.value, u.division, u.at) }));

function keyOf(type: ScoreType, memberId: string, value: number, division: Division, at: number): RankKey {
  const score = type === "for_time" ? { type, ms: value } : { type: "reps" as const, reps: value };
  return rankKey(memberId, score, division, at);
}

describe("incremental ranking", () => {
  it("equals a full rebuild after every update or removal, and two rebuilds of the same data give identical order", () => {
    const run = fc.constantFrom<ScoreType>("for_time", "reps").chain((type) => fc.array(updateArb(type), { minLength: 1, maxLength: 80 }));
    fc.assert(
      fc.property(run, (updates) => {
        const ranking = new Ranking();
        const current = new Map<string, RankKey>();
        for (const u of updates) {
          // About a twelfth of the steps take a member off the board instead.
          if (u.removal && u.value === 0) {
            expect(ranking.remove(u.memberId)).toBe(current.delete(u.memberId));
          } else {
            ranking.update(u.key);
            current.set(u.memberId, u.key);
          }
          const rebuilt = Ranking.rebuild(current.values());
          expect(ranking.order()).toEqual(rebuilt.order());
          for (const id of current.keys()) expect(ranking.rank(id)).toBe(rebuilt.rank(id));
        }
        const keys = [...current.values()];
        expect(Ranking.rebuild([...keys].reverse()).order()).toEqual(Ranking.rebuild(keys).order());
      }),
      { numRuns: 300 },
    );
  });

  it("keeps ranks, places and pages equal to a rebuild over hundreds of members and thousands of moves (order-statistic tree)", () => {
    const many = Array.from({ length: 300 }, (_, i) => `p${String(i).padStart(3, "0")}`);
    const step = fc.record({
      memberId: fc.constantFrom(...many),
      value: fc.integer({ min: 0, max: 20 }),
      division: fc.constantFrom<Division>("rx", "scaled"),
      at: fc.integer({ min: 0, max: 5 }),
      removal: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 300, maxLength: 1_500 }),
        fc.integer({ min: 0, max: 320 }),
        fc.integer({ min: 0, max: 40 }),
        (steps, from, count) => {
          const ranking = new Ranking();
          const current = new Map<string, RankKey>();
          for (const u of steps) {
            if (u.removal === 0) expect(ranking.remove(u.memberId)).toBe(current.delete(u.memberId));
            else {
              const key = keyOf("reps", u.memberId, u.value, u.division, u.at);
              ranking.update(key);
              current.set(u.memberId, key);
            }
          }
          const rebuilt = Ranking.rebuild(current.values());
          const order = rebuilt.order();
          expect(ranking.order()).toEqual(order);
          expect(ranking.size).toBe(current.size);
          expect(ranking.slice(from, count).map((k) => k.memberId)).toEqual(order.slice(from, from + count));
          order.forEach((id, i) => {
            expect(ranking.rank(id)).toBe(i + 1);
            expect(ranking.at(i)?.memberId).toBe(id);
          });
          expect(ranking.at(order.length)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it("moves a member who improves, and reports 1-based ranks", () => {
    const r = Ranking.rebuild([keyOf("reps", "a", 10, "rx", 1), keyOf("reps", "b", 20, "rx", 1), keyOf("reps", "c", 5, "scaled", 1)]);
    expect(r.order()).toEqual(["b", "a", "c"]);
    r.update(keyOf("reps", "a", 30, "rx", 2));
    expect(r.order()).toEqual(["a", "b", "c"]);
    expect(r.rank("c")).toBe(3);
    expect(r.rank("nobody")).toBeNull();
    expect(r.size).toBe(3);
  });
});
