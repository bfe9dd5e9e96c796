/** When an offline desk accepts a correctly signed member code (issue 21): through a 2-hour outage and more, bounded. */
import { describe, expect, it } from "vitest";
import { offlineCodeAccepted, OfflineCodeGraceMs } from "../../../domain/checkin/memberCodeFormat.js";

const HOUR = 3_600_000;
const SYNC = 1_000 * HOUR;

describe("offlineCodeAccepted", () => {
  it("accepts a code valid when the desk last heard the server, at device time +2 h", () => {
    const shownBeforeOutage = SYNC + 4 * 60_000; // a 5-minute code the phone showed just before the line dropped
    expect(offlineCodeAccepted(shownBeforeOutage, SYNC, SYNC + 2 * HOUR)).toBe(true);
  });

  it("is bounded: refused after the grace, and for a code already expired at the last sync (a screenshot)", () => {
    expect(offlineCodeAccepted(SYNC + 60_000, SYNC, SYNC + OfflineCodeGraceMs + 1)).toBe(false);
    expect(offlineCodeAccepted(SYNC - 1, SYNC, SYNC + 60_000)).toBe(false);
    expect(offlineCodeAccepted(SYNC + 3 * HOUR, SYNC, SYNC + 2 * HOUR)).toBe(true);
  });
});
