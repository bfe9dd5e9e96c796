/**
 * The desk patches its saved snapshot from the gym room's desk changes (issue 21): bookings, check-ins and member
 * status as they happen, and a whole new snapshot only after a gap.
 */
import { describe, expect, it } from "vitest";
import {
  appendDeskChanges,
  applyDeskChanges,
  DeskChangesKept,
  DeskCursorAtStart,
  type DeskChangeBody,
} from "../../../domain/checkin/deskChanges.js";
import { DefaultDeskRules } from "../../../domain/checkin/deskDecision.js";
import { decideFromSnapshot, type DeskSnapshot } from "../../../domain/checkin/deskSnapshot.js";
import { GYM, HOUR, MINUTE, STARTS_AT } from "../../support/domainBuilders.js";

const snapshot: DeskSnapshot = {
  gymId: GYM,
  takenAt: STARTS_AT - 2 * HOUR,
  rules: DefaultDeskRules,
  keys: [],
  sessionsFrom: STARTS_AT - 7 * HOUR,
  sessionsUntil: STARTS_AT + 41 * HOUR,
  members: ["ann", "bob"].map((memberId) => ({
    memberId,
    name: memberId,
    status: "active" as const,
    planName: "Unlimited",
    frozenUntil: null,
    lastOpenGymAt: null,
  })),
  sessions: [
    {
      sessionId: "s1",
      className: "WOD",
      status: "scheduled",
      startsAt: STARTS_AT,
      checkInOpensAt: STARTS_AT - HOUR,
      checkInClosesAt: STARTS_AT + 30 * MINUTE,
      roster: [{ memberId: "ann", status: "booked" }],
    },
  ],
};
const freeze: DeskChangeBody = { kind: "member", memberId: "ann", name: "ann", status: "frozen", frozenUntil: "2025-04-01" };
const bobBooks: DeskChangeBody = { kind: "roster", sessionId: "s1", startsAt: STARTS_AT, memberId: "bob", status: "booked" };

describe("desk changes", () => {
  it("patch a freeze and a booking into the snapshot without fetching it again", () => {
    const listed = appendDeskChanges([], [freeze, bobBooks], "run-1");
    const r = applyDeskChanges(snapshot, DeskCursorAtStart, listed);
    expect(r.refetch).toBe(false);
    expect(r.cursor).toEqual({ epoch: "run-1", seq: 2 });
    expect(decideFromSnapshot(r.snapshot, "ann", false, STARTS_AT - 10 * MINUTE)).toMatchObject({
      verdict: "denied",
      reason: "MEMBERSHIP_FROZEN",
    });
    expect(decideFromSnapshot(r.snapshot, "bob", false, STARTS_AT - 10 * MINUTE)).toMatchObject({ verdict: "class", sessionId: "s1" });
    expect(r.snapshot.takenAt).toBe(snapshot.takenAt);
  });

  it("apply each change once: a delta listing changes already applied changes nothing more", () => {
    const first = appendDeskChanges([], [bobBooks], "run-1");
    const a = applyDeskChanges(snapshot, DeskCursorAtStart, first);
    const cancel = appendDeskChanges(first, [{ ...bobBooks, status: null }], "run-1");
    const b = applyDeskChanges(a.snapshot, a.cursor, cancel);
    expect(b.snapshot.sessions[0]!.roster).toEqual([{ memberId: "ann", status: "booked" }]);
    expect(applyDeskChanges(b.snapshot, b.cursor, cancel)).toEqual({ snapshot: b.snapshot, cursor: b.cursor, refetch: false });
  });

  it("record an open-gym visit, so a second scan offline is the same visit", () => {
    const r = applyDeskChanges(
      snapshot,
      DeskCursorAtStart,
      appendDeskChanges([], [{ kind: "openGym", memberId: "bob", at: STARTS_AT }], "run-1"),
    );
    expect(decideFromSnapshot(r.snapshot, "bob", true, STARTS_AT + 5 * MINUTE)).toEqual({ verdict: "already_checked_in" });
  });

  it("ask for the whole snapshot after a gap, a restarted room, or a member or class the snapshot lacks", () => {
    const many = appendDeskChanges(
      [],
      Array.from({ length: DeskChangesKept + 5 }, () => bobBooks),
      "run-1",
    );
    expect(many).toHaveLength(DeskChangesKept);
    expect(applyDeskChanges(snapshot, { epoch: "run-1", seq: 2 }, many).refetch).toBe(true);
    expect(applyDeskChanges(snapshot, { epoch: "run-0", seq: 30 }, appendDeskChanges([], [freeze], "run-1")).refetch).toBe(true);
    expect(applyDeskChanges(snapshot, DeskCursorAtStart, appendDeskChanges([], [{ ...freeze, memberId: "new" }], "run-1")).refetch).toBe(
      true,
    );
    expect(
      applyDeskChanges(snapshot, DeskCursorAtStart, appendDeskChanges([], [{ ...bobBooks, sessionId: "s-new" }], "run-1")).refetch,
    ).toBe(true);
    // A class beyond the snapshot's two days is none of the desk's business.
    expect(
      applyDeskChanges(
        snapshot,
        DeskCursorAtStart,
        appendDeskChanges([], [{ ...bobBooks, sessionId: "s-later", startsAt: STARTS_AT + 3 * 24 * HOUR }], "run-1"),
      ).refetch,
    ).toBe(false);
  });

  it("drop a member who is no longer one", () => {
    const r = applyDeskChanges(
      snapshot,
      DeskCursorAtStart,
      appendDeskChanges([], [{ kind: "member", memberId: "bob", name: "", status: null, frozenUntil: null }], "run-1"),
    );
    expect(r.snapshot.members.map((m) => m.memberId)).toEqual(["ann"]);
  });
});
