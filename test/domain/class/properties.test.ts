import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyClassEvents } from "../../../domain/class/applyClassEvent.js";
import type { ClassEvent } from "../../../domain/class/events.js";
import { heldSpots, isLive, isOpenEntry } from "../../../domain/class/state.js";
import type { ClassState } from "../../../domain/class/state.js";
import { classWindows } from "../../../domain/class/windows.js";
import { DomainError } from "../../../domain/errors.js";
import { MemberIds, initialMembers, runArb, simulate } from "./simulation.js";

const RUNS = { numRuns: 1000 };

function forAllRuns(check: (run: ReturnType<typeof simulate>) => void): void {
  fc.assert(
    fc.property(runArb, ([setup, commands]) => check(simulate(setup, commands))),
    RUNS,
  );
}

const openPositions = (s: ClassState) =>
  s.waitlist
    .filter(isOpenEntry)
    .map((e) => e.position)
    .sort((a, b) => a - b);

describe("class aggregate properties", () => {
  // Held = live bookings + offered spots. Lowering capacity never evicts, so the precise rule is:
  // after every command, held ≤ max(capacity after, held before) — a command never adds a
  // spot beyond capacity; with capacity never lowered, held ≤ capacity at every step.
  it("never holds more spots than capacity, except members already in before capacity was lowered", () => {
    forAllRuns(({ steps }) => {
      for (const { before, after } of steps) {
        expect(heldSpots(after)).toBeLessThanOrEqual(Math.max(after.session.capacity, heldSpots(before)));
        expect(after.bookings.filter(isLive).length).toBeLessThanOrEqual(heldSpots(after));
      }
    });
  });

  it("never has a member both live-booked and waiting, nor twice in either", () => {
    forAllRuns(({ steps }) => {
      for (const { after } of steps) {
        for (const id of MemberIds) {
          const live = after.bookings.filter((b) => b.memberId === id && isLive(b)).length;
          const open = after.waitlist.filter((e) => e.memberId === id && isOpenEntry(e)).length;
          expect(live + open).toBeLessThanOrEqual(1);
        }
      }
    });
  });

  it("keeps waitlist positions contiguous and promotes strictly in position order", () => {
    forAllRuns(({ steps }) => {
      for (const { before, after, command } of steps) {
        const positions = openPositions(after);
        expect(positions).toEqual(positions.map((_, i) => i + 1));
        // Staff picking a member, or a member taking an open spot after the cut-off, are first-come by design.
        const chosen = command.op.kind === "book" || (command.op.kind === "promote" && command.op.member !== undefined);
        if (chosen) continue;
        const waitingBefore = new Map(before.waitlist.filter((e) => e.status === "waiting").map((e) => [e.id, e.position]));
        const moved = after.waitlist.filter((e) => waitingBefore.has(e.id) && (e.status === "promoted" || e.status === "offered"));
        const stillWaiting = after.waitlist.filter((e) => e.status === "waiting" && waitingBefore.has(e.id));
        for (const m of moved) for (const w of stillWaiting) expect(waitingBefore.get(m.id)).toBeLessThan(waitingBefore.get(w.id) ?? 0);
      }
    });
  });

  it("conserves pack credits: initial credits = current credits + credits held by bookings", () => {
    const initial = new Map(initialMembers().map((m) => [m.memberId, m.credits]));
    forAllRuns(({ steps }) => {
      const last = steps.at(-1)?.after;
      if (last === undefined) return;
      for (const b of last.bookings) {
        if (b.creditUsed) expect(["booked", "checked_in", "late_cancelled", "no_show"]).toContain(b.status);
      }
      for (const [id, credits] of initial) {
        if (credits === null) continue;
        const held = last.bookings.filter((b) => b.memberId === id && b.creditUsed).length;
        expect(last.members[id]?.credits).toBe(credits - held);
        expect(last.members[id]?.credits).toBeGreaterThanOrEqual(0);
      }
    });
  });

  it("never charges a late-cancel fee to a member auto-promoted after the late-cancel cut-off", () => {
    forAllRuns(({ steps }) => {
      const last = steps.at(-1)?.after;
      if (last === undefined) return;
      const cutoff = classWindows(last.session).lateCancelAt;
      for (const fee of last.fees.filter((f) => f.kind === "late_cancel" && !f.waived)) {
        const booking = last.bookings.find((b) => b.id === fee.bookingId);
        expect(booking?.status).toBe("late_cancelled");
        expect(booking?.promotedFromWaitlist === true && (booking?.createdAt ?? 0) >= cutoff).toBe(false);
      }
    });
  });

  it("rebuilds the same state by replaying the (serialized) events from the initial state", () => {
    forAllRuns(({ initial, steps, events }) => {
      const wire = JSON.parse(JSON.stringify(events)) as ClassEvent[];
      expect(applyClassEvents(initial, wire)).toEqual(steps.at(-1)?.after ?? initial);
      for (const { before, outcome, after } of steps) {
        if (!(outcome instanceof DomainError)) expect(applyClassEvents(before, outcome.events)).toEqual(after);
      }
    });
  });

  it("leaves the state unchanged when a command is refused (states are frozen, so any write would throw)", () => {
    fc.assert(
      fc.property(runArb, ([setup, commands]) => {
        for (const { before, snapshot, outcome, after } of simulate(setup, commands, true).steps) {
          if (!(outcome instanceof DomainError)) continue;
          expect(JSON.stringify(before)).toBe(snapshot);
          expect(after).toBe(before);
          expect(outcome.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });
});
