import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { totalKey } from "../../../domain/workouts/gymBoards.js";
import { Ranking } from "../../../domain/workouts/ranking.js";
import { BoardCache, type BoardRows } from "../../../server/persistence/boardCache.js";

const members = Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(2, "0")}`);
const FROM = 1_000;

describe("the node's board cache", () => {
  it("keeps the order a rebuild of the same totals gives, after any sequence of absolute totals, repeats and removals", async () => {
    const step = fc.record({
      memberId: fc.constantFrom(...members),
      total: fc.integer({ min: 0, max: 6 }),
      lastAt: fc.integer({ min: 0, max: 4 }),
      repeat: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 300 }), async (steps) => {
        const cache = new BoardCache(() => 0);
        const truth = new Map<string, { total: number; lastAt: number }>();
        const entry = await cache.get("g", "attendance", "week", FROM, async () => []);
        for (const s of steps) {
          const u = { period: "week" as const, from: FROM, memberId: s.memberId, total: s.total, lastAt: s.lastAt };
          cache.update("g", "attendance", s.repeat ? [u, u] : [u]);
          if (s.total > 0) truth.set(s.memberId, { total: s.total, lastAt: s.lastAt });
          else truth.delete(s.memberId);
        }
        const rebuilt = Ranking.rebuild([...truth].map(([m, t]) => totalKey(m, t.total, t.lastAt)));
        expect(entry.ranking.order()).toEqual(rebuilt.order());
        expect(Object.fromEntries(entry.totals)).toEqual(Object.fromEntries([...truth].map(([m, t]) => [m, t.total])));
        // The next request is served from the same, updated copy.
        expect(
          await cache.get("g", "attendance", "week", FROM, async () => {
            throw new Error("rebuilt");
          }),
        ).toBe(entry);
      }),
      { numRuns: 100 },
    );
  });

  it("applies totals that arrive while the board is being built, shares one build, and ignores other gyms, boards and periods", async () => {
    const cache = new BoardCache(() => 0);
    let release!: (rows: BoardRows) => void;
    let builds = 0;
    const build = () => {
      builds += 1;
      return new Promise<BoardRows>((r) => (release = r));
    };
    const first = cache.get("g", "volume", "month", FROM, build);
    const second = cache.get("g", "volume", "month", FROM, build);
    cache.update("g", "volume", [{ period: "month", from: FROM, memberId: "b", total: 900, lastAt: 5 }]);
    cache.update("other-gym", "volume", [{ period: "month", from: FROM, memberId: "z", total: 1, lastAt: 1 }]);
    cache.update("g", "attendance", [{ period: "month", from: FROM, memberId: "y", total: 1, lastAt: 1 }]);
    cache.update("g", "volume", [{ period: "week", from: FROM, memberId: "x", total: 1, lastAt: 1 }]);
    release([
      { memberId: "a", total: 500, lastAt: 1 },
      { memberId: "b", total: 100, lastAt: 1 },
    ]);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    expect(a.ranking.order()).toEqual(["b", "a"]);
  });

  it("rebuilds a dropped board on the next request, also when it was dropped while being built, and after the maximum age", async () => {
    let now = 0;
    const cache = new BoardCache(() => now, 1_000);
    let rows: BoardRows = [{ memberId: "a", total: 1, lastAt: 1 }];
    const build = async () => rows;
    const one = await cache.get("g", "attendance", "week", FROM, build);
    cache.drop("g", "attendance");
    rows = [{ memberId: "a", total: 2, lastAt: 2 }];
    const two = await cache.get("g", "attendance", "week", FROM, build);
    expect(two).not.toBe(one);
    expect(two.totals.get("a")).toBe(2);

    cache.drop("g", "attendance");
    let release!: (r: BoardRows) => void;
    const building = cache.get("g", "attendance", "week", FROM, () => new Promise<BoardRows>((r) => (release = r)));
    cache.drop("g", "attendance");
    release([{ memberId: "a", total: 3, lastAt: 3 }]);
    expect((await building).totals.get("a")).toBe(3);
    rows = [{ memberId: "a", total: 4, lastAt: 4 }];
    expect((await cache.get("g", "attendance", "week", FROM, build)).totals.get("a")).toBe(4);

    now = 5_000;
    rows = [{ memberId: "a", total: 5, lastAt: 5 }];
    expect((await cache.get("g", "attendance", "week", FROM, build)).totals.get("a")).toBe(5);
  });
});
