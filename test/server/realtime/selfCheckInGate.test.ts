/**
 * The command gate answers at once (no promise, no microtask hop on every command) for everything but a member's
 * own check-in, which reads the gym's setting and the desk's presence code.
 */
import { describe, expect, it } from "vitest";
import type { PresenceCodes } from "../../../server/checkin/presenceCodes.js";
import { selfCheckInGate } from "../../../server/realtime/selfCheckIn.js";

const gymId = "00000000-0000-4000-8000-000000000001";
const member = { userId: "m1", membership: { gymId, role: "member" as const, status: "active" as const } };
const coach = { userId: "c1", membership: { gymId, role: "coach" as const, status: "active" as const } };

describe("self check-in gate", () => {
  const reads: string[] = [];
  const gate = selfCheckInGate({
    settings: { enabled: async (g) => (reads.push(g), false) },
    presence: { check: () => "valid" } as unknown as PresenceCodes,
    now: () => 0,
  });

  it("passes other commands, staff check-ins and check-ins of someone else at once, reading nothing", () => {
    expect(gate(member, "class:book", {})).toBeNull();
    expect(gate(coach, "class:checkIn", { memberId: "m1" })).toBeNull();
    expect(gate(member, "class:checkIn", { memberId: "m2" })).toBeNull();
    expect(gate({ userId: "x", membership: null }, "class:checkIn", {})).toBeNull();
    expect(reads).toEqual([]);
  });

  it("reads the gym's setting for a member's own check-in and refuses it when self check-in is off", async () => {
    const answer = gate(member, "class:checkIn", { presenceCode: "123456" });
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toMatchObject({ ok: false, error: { code: "SELF_CHECK_IN_DISABLED" } });
    expect(reads).toEqual([gymId]);
  });
});
