/** The check-in and no-show rules the server applies and the staff roster shows (issue 19 item 2: buttons that can only fail). */
import { describe, expect, it } from "vitest";
import { checkInWindowState } from "../../../domain/checkin/checkInWindow.js";
import { noShowAllowed } from "../../../domain/class/windows.js";

const MINUTE = 60_000;
const startsAt = Date.UTC(2026, 11, 6, 16, 30);
const session = { status: "scheduled" as const, startsAt, checkInOpensAt: startsAt - 15 * MINUTE, checkInClosesAt: startsAt + 10 * MINUTE };

describe("checkInWindowState", () => {
  it("is not_yet before the window, open inside it (both ends included), closed after and once completed", () => {
    expect(checkInWindowState(session, startsAt - 16 * MINUTE)).toBe("not_yet");
    expect(checkInWindowState(session, session.checkInOpensAt)).toBe("open");
    expect(checkInWindowState(session, session.checkInClosesAt)).toBe("open");
    expect(checkInWindowState(session, session.checkInClosesAt + 1)).toBe("closed");
    expect(checkInWindowState({ ...session, status: "completed" }, startsAt)).toBe("closed");
  });
});

describe("noShowAllowed", () => {
  it("allows a no-show from the start of the class, not before", () => {
    expect(noShowAllowed(session, startsAt - 1)).toBe(false);
    expect(noShowAllowed(session, startsAt)).toBe(true);
  });
});
