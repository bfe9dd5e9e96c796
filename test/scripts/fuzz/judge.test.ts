/**
 * The fuzz oracle missed staff writes (gym:rosterWalkIn, gym:remindWaiver, gym:deactivateStaff, gym:checkIn), so a
 * lane could send them valid and change rows: each is judged a write now, and the same frame made invalid is not.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { judge, type FuzzTargets } from "../../../scripts/lib/fuzz/frames.js";

const t: FuzzTargets = {
  gymId: randomUUID(),
  sessionId: randomUUID(),
  selfId: randomUUID(),
  member: true,
  otherMemberId: randomUUID(),
  maxPayloadBytes: 65_536,
};
const frame = (type: string, payload: unknown) => ({ commandId: "cmd-00000001", room: `gym:${t.gymId}`, type, payload });

describe("the fuzz oracle", () => {
  it.each([
    ["gym:rosterWalkIn", { sessionId: t.sessionId, memberId: t.otherMemberId }],
    ["gym:remindWaiver", {}],
    ["gym:deactivateStaff", { memberId: t.otherMemberId }],
    ["gym:checkIn", { memberId: t.otherMemberId }],
    ["schedule:updateSession", { sessionId: t.sessionId, capacity: 9 }],
  ])("judges a valid %s a write, and the same frame with an unknown field not", (type, payload) => {
    expect(judge(t, frame(type, payload)).writes).toBe(true);
    expect(judge(t, frame(type, { ...payload, fuzzed: true })).writes).toBe(false);
  });
});
