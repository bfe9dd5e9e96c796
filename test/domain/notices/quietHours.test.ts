import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OFFER_MIN_LEFT_MS, pushAt, pushTtlSeconds, quietUntil } from "../../../domain/notices/quietHours.js";

const berlin = (iso: string) => Date.parse(`${iso}+01:00`); // December: CET
const night = { startMinute: 22 * 60, endMinute: 7 * 60, timeZone: "Europe/Berlin" };

describe("quiet hours", () => {
  it("holds a push until the local end of quiet hours that span midnight", () => {
    expect(quietUntil(night, berlin("2026-12-06T23:30:00"))).toBe(berlin("2026-12-07T07:00:00"));
    expect(quietUntil(night, berlin("2026-12-07T03:00:00"))).toBe(berlin("2026-12-07T07:00:00"));
    expect(quietUntil(night, berlin("2026-12-07T07:00:00"))).toBeNull();
    expect(quietUntil(night, berlin("2026-12-07T12:00:00"))).toBeNull();
  });

  it("reads a span within one day, and no span at all", () => {
    const lunch = { startMinute: 12 * 60, endMinute: 13 * 60, timeZone: "Europe/Berlin" };
    expect(quietUntil(lunch, berlin("2026-12-07T12:10:00"))).toBe(berlin("2026-12-07T13:00:00"));
    expect(quietUntil(lunch, berlin("2026-12-07T13:10:00"))).toBeNull();
    expect(quietUntil(null, berlin("2026-12-07T12:10:00"))).toBeNull();
  });

  it("never holds an offer past its expiry: it goes out at once unless enough of it is left when quiet hours end", () => {
    const now = berlin("2026-12-06T23:30:00");
    expect(pushAt(night, now, now + 30 * 60_000)).toBe(now);
    expect(pushAt(night, now, berlin("2026-12-07T07:00:00") + OFFER_MIN_LEFT_MS - 1)).toBe(now);
    expect(pushAt(night, now, berlin("2026-12-07T09:00:00"))).toBe(berlin("2026-12-07T07:00:00"));
    expect(pushAt(night, now, null)).toBe(berlin("2026-12-07T07:00:00"));
  });

  it("property: a push never goes out before now, and one that expires never later than its expiry minus the margin (or now)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 7 * 86_400_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        (start, end, offset, left) => {
          const now = berlin("2026-12-01T00:00:00") + offset;
          const at = pushAt({ startMinute: start, endMinute: end, timeZone: "Europe/Berlin" }, now, now + left);
          expect(at).toBeGreaterThanOrEqual(now);
          expect(at === now || at <= now + left - OFFER_MIN_LEFT_MS).toBe(true);
        },
      ),
    );
  });

  it("gives an offer's push a lifetime of exactly the time to its expiry", () => {
    expect(pushTtlSeconds(61_500, 0, true)).toBe(61);
    expect(pushTtlSeconds(1_000, 5_000, true)).toBe(0);
    expect(pushTtlSeconds(null, 0, true)).toBe(3_600);
    expect(pushTtlSeconds(null, 0, false)).toBe(86_400);
  });
});
