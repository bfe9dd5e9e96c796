/**
 * Standings are read ahead of a class room's mailbox, in batches, so the serialized part of a booking
 * does no I/O and group commit can group. These tests drive a ClassRoom over a store that counts its
 * reads and holds commits at a gate, to prove: one read per batch of arrivals, batched commits, and
 * that a member's own uncommitted credit change is never overwritten by an older read.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { ClassRoom } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aMember, aPackMember, EARLY, GYM, MINUTE, sequentialIds, STARTS_AT } from "../support/domainBuilders.js";
import { fakeClassStore } from "../support/fakeClassStore.js";
import { testRuntime } from "../support/roomRuntime.js";

/** A database of credits, with commits that wait for the test to open the gate. */
const fakeStore = (members: ReturnType<typeof aMember>[]) => fakeClassStore(members, { readDelayMs: 2 });

const runtime = (now = EARLY) => testRuntime(() => now, sequentialIds("x"));

let seq = 0;
const command = (memberId: string, type: string, extra: Record<string, unknown> = {}): RoomMessage => {
  const caller: Caller = { userId: memberId, membership: { gymId: GYM, role: "member", status: "active" } };
  return { kind: "command", caller, commandId: `c-${++seq}`, type, payload: { sessionId: "session-1", ...extra }, receivedAt: EARLY };
};

describe("class room standings read ahead of the mailbox", () => {
  it("reads the standings of a storm of bookings in a few batches and commits them in a few transactions", async () => {
    const members = Array.from({ length: 60 }, (_, i) => aMember({ memberId: `m${String(i).padStart(2, "0")}` }));
    const db = fakeStore(members);
    const room = new ClassRoom("class:session-1" as RoomId, runtime(), db.store, "session-1");
    const answers = await Promise.all(members.map((m) => room.send(command(m.memberId, "class:book"))));
    const results = answers.map((a) => (a.ok ? (a.result as { status: string }).status : a.error.code));
    expect(results.filter((s) => s === "booked")).toHaveLength(10);
    expect(results.filter((s) => s === "CLASS_FULL")).toHaveLength(50);
    // Arrival order decides: the first ten to arrive are the ten booked.
    expect(results.slice(0, 10).every((s) => s === "booked")).toBe(true);
    expect(db.reads.flat().sort()).toEqual(members.map((m) => m.memberId).sort());
    expect(db.reads.length).toBeLessThanOrEqual(3);
    expect(db.commits.length).toBeLessThan(members.length / 4);
  });

  it("keeps the member's own uncommitted credit change over a read of the database that can't know it", async () => {
    const ann = aPackMember("ann", 1);
    const db = fakeStore([ann]);
    const room = new ClassRoom("class:session-1" as RoomId, runtime(STARTS_AT - 30 * MINUTE), db.store, "session-1");
    await room.start();
    db.holdCommits();
    // Book (1 → 0, not yet committed), cancel late (the fee, no refund), book again: every read of the database says 1.
    const book = room.send(command("ann", "class:book"));
    const cancel = room.send(command("ann", "class:cancelBooking", { acceptFee: true }));
    const again = room.send(command("ann", "class:book"));
    await new Promise((r) => setTimeout(r, 20));
    db.releaseCommits();
    expect(await book).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(await cancel).toMatchObject({ ok: true, result: { creditRefunded: false } });
    // The room knows the credit is spent; a stale read would have booked and the commit failed for everyone in it.
    expect(await again).toMatchObject({ ok: false, error: { code: "NO_CREDITS" } });
    expect(db.credits.get("ann")).toBe(0);
  });

  it("reads again in the mailbox when a read-ahead began before the room committed a change to the member's credits", async () => {
    const ann = aPackMember("ann", 1);
    const db = fakeStore([ann]);
    const room = new ClassRoom("class:session-1" as RoomId, runtime(), db.store, "session-1");
    await room.start();
    expect(await room.send(command("ann", "class:book"))).toMatchObject({ ok: true });
    expect(db.credits.get("ann")).toBe(0);
    db.holdCommits();
    const cancel = room.send(command("ann", "class:cancelBooking")); // refund → 1, held before the database
    await new Promise((r) => setTimeout(r, 5));
    db.holdReads(); // the next read-ahead sees 0 credits, then waits while the refund commits
    const again = room.send(command("ann", "class:book"));
    await new Promise((r) => setTimeout(r, 5));
    db.releaseCommits();
    expect(await cancel).toMatchObject({ ok: true, result: { creditRefunded: true } });
    db.releaseReads();
    expect(await again).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(db.credits.get("ann")).toBe(0);
  });

  it("keeps a member it already holds when their standing is unchanged: no copy of the roster, the reload still told to the commit", async () => {
    // Regression (desk check-ins at full size): every eligibility command copied the room's members and people
    // (O(roster) each) to put an equal standing in, ~265 kB per check-in that outlived the young generation.
    const ann = aMember({ memberId: "ann" });
    const db = fakeStore([ann]);
    const room = new ClassRoom("class:session-1" as RoomId, runtime(), db.store, "session-1");
    await room.start();
    expect(await room.send(command("ann", "class:book"))).toMatchObject({ ok: true });
    expect(await room.send(command("ann", "class:cancelBooking"))).toMatchObject({ ok: true });
    const members = (room as unknown as { state: ClassRoomState }).state.cls.members;
    expect(await room.send(command("ann", "class:book"))).toMatchObject({ ok: true });
    // The rebooking read her again (an eligibility command), found her unchanged and kept the room's members as they were…
    expect(db.reads.flat().filter((id) => id === "ann").length).toBeGreaterThanOrEqual(2);
    expect((room as unknown as { state: ClassRoomState }).state.cls.members).toBe(members);
    // …and still told the commit what it decided on (its guards replay the batch on the last committed state).
    expect(db.commits.map((events) => events.filter((e) => e.type === "standing.updated").length)).toEqual([1, 0, 1]);
  });
});
