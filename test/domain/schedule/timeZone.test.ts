/**
 * Wall clocks and offsets come from offsets kept per quarter hour (formatting every instant was several percent of
 * a desk check-in's CPU): they must equal what `Intl` formats for every instant, including the seconds around each
 * transition and zones whose offsets are not whole hours or move by half an hour.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wallClock, zoneOffset } from "../../../domain/schedule/timeZone.js";

const Zones = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "America/St_Johns",
  "Africa/Casablanca",
  "Pacific/Chatham",
  "Europe/Dublin",
  "UTC",
  "America/Sao_Paulo",
  "Asia/Tehran",
];

/** The oracle: `Intl` asked directly, as the code did before the offsets were kept. */
const oracles = new Map<string, Intl.DateTimeFormat>();
function formatted(at: number, timeZone: string) {
  let oracle = oracles.get(timeZone);
  if (!oracle) {
    oracle = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    oracles.set(timeZone, oracle);
  }
  const parts = oracle.formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const w = { year: n("year"), month: n("month"), day: n("day"), hour: n("hour"), minute: n("minute"), second: n("second") };
  const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (at - (((at % 1000) + 1000) % 1000));
  return { w, offset };
}

/** The instants (to the second) where the zone's offset changes between `from` and `to`. */
function transitions(timeZone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const DAY = 86_400_000;
  for (let t = from; t < to; t += DAY) {
    if (formatted(t, timeZone).offset === formatted(t + DAY, timeZone).offset) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 1_000) {
      const mid = lo + Math.floor((hi - lo) / 2_000) * 1_000;
      if (formatted(mid, timeZone).offset === formatted(t, timeZone).offset) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

describe("time zone conversion from kept offsets", () => {
  it("equals Intl's wall clock and offset for any instant from 1900 to 2200", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1890, 0, 1), max: Date.UTC(2210, 0, 1) }), fc.constantFrom(...Zones), (at, zone) => {
        const { w, offset } = formatted(at, zone);
        expect(wallClock(at, zone)).toEqual(w);
        expect(zoneOffset(at, zone)).toBe(offset);
      }),
      { numRuns: 3_000 },
    );
  });

  it("equals Intl at, just before and just after every transition of 2024–2026", () => {
    for (const zone of Zones) {
      for (const t of transitions(zone, Date.UTC(2024, 0, 1), Date.UTC(2027, 0, 1))) {
        for (const at of [t - 60_000, t - 1_000, t - 1, t, t + 1, t + 999, t + 1_000, t + 60_000, t + 15 * 60_000]) {
          const { w, offset } = formatted(at, zone);
          expect(wallClock(at, zone), `${zone} ${new Date(at).toISOString()}`).toEqual(w);
          expect(zoneOffset(at, zone)).toBe(offset);
        }
      }
    }
  });

  it("refuses an unknown zone as before", () => {
    expect(() => wallClock(Date.UTC(2025, 0, 1), "Mars/Olympus")).toThrow(RangeError);
  });
});
