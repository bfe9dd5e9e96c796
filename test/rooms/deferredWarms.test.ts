/** Issue 15: a gym's bulk member load waits for a lull in its cold room loads, but never longer than MAX_DEFER_MS. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeferredWarms, MAX_DEFER_MS } from "../../rooms/deferredWarms.js";

describe("deferred gym loads", () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
  afterEach(() => void vi.useRealTimers());

  it("start once the asks pause, once per gym", () => {
    const warms = new DeferredWarms();
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      warms.schedule("g", 40, () => started.push("g"));
      vi.advanceTimersByTime(15);
    }
    warms.schedule("h", 40, () => started.push("h"));
    expect(started).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(started).toEqual(["g", "h"]);
    vi.advanceTimersByTime(MAX_DEFER_MS);
    expect(started).toEqual(["g", "h"]);
  });

  it("start at most MAX_DEFER_MS after the first ask however often asked again", () => {
    const warms = new DeferredWarms();
    const started: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < (3 * MAX_DEFER_MS) / 20 && started.length === 0; i++) {
      warms.schedule("g", 100, () => started.push(performance.now() - t0));
      vi.advanceTimersByTime(20);
    }
    expect(started).toEqual([MAX_DEFER_MS]);
  });

  it("start nothing once cleared", () => {
    const warms = new DeferredWarms();
    const started: string[] = [];
    warms.schedule("g", 10, () => started.push("g"));
    warms.clear();
    vi.advanceTimersByTime(50);
    expect(started).toEqual([]);
  });
});
