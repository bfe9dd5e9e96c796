/**
 * A class room tells the gym room once per commit batch, not once per decision. Regression: a storm's commit of a
 * dozen bookings sent a dozen `session` notes (each with a fresh schedule line), each routed and handled by the gym room.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { ClassRoom, type ClassStore, type LoadedMember } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage, RoomNote } from "../../rooms/ports.js";
import { aClassState, aMember, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

type SessionNote = Extract<RoomNote, { type: "session" }>;

function setUp() {
  const release: (() => void)[] = [];
  const commits: number[] = [];
  const store: ClassStore = {
    async loadClass() {
      const state: ClassRoomState = {
        cls: aClassState({ session: { capacity: 10 } }),
        labels: { className: "WOD", color: "#000", locationName: "", coachName: null },
        people: {},
      };
      return { state, fence: 1, processed: [] };
    },
    async loadMembers(_session, ids) {
      const person = (id: string) => ({ name: id, email: "", phone: "", visible: true, membershipStatus: "active" as const, notes: "" });
      return new Map<string, LoadedMember>(ids.map((id) => [id, { standing: aMember({ memberId: id }), person: person(id) }]));
    },
    // Each commit waits for the test: decisions arriving meanwhile are committed together in the next batch.
    async commitClass(_room, _base, changes) {
      commits.push(changes.filter((c) => c.type === "booking.created").length);
      await new Promise<void>((r) => release.push(r));
    },
  };
  const notes: SessionNote[] = [];
  const tells: string[] = [];
  const rt = {
    ...testRuntime(() => EARLY, sequentialIds("x")),
    tell(room: RoomId, message: RoomMessage) {
      if (message.kind !== "note") return;
      tells.push(`${room} ${message.note.type}`);
      if (message.note.type === "session") notes.push(message.note);
    },
  };
  return { room: new ClassRoom("class:session-1" as RoomId, rt, store, "session-1"), release, commits, notes, tells };
}

let seq = 0;
const book = (memberId: string): RoomMessage => {
  const caller: Caller = { userId: memberId, membership: { gymId: GYM, role: "member", status: "active" } };
  return { kind: "command", caller, commandId: `c-${++seq}`, type: "class:book", payload: { sessionId: "session-1" }, receivedAt: EARLY };
};
const turn = () => new Promise((r) => setImmediate(r));

describe("a class room's note to the gym room", () => {
  it("sums a commit batch's decisions into one note with the latest schedule line", async () => {
    const { room, release, commits, notes, tells } = setUp();
    const first = room.send(book("m0"));
    while (release.length === 0) await turn();
    const rest = ["m1", "m2", "m3", "m4"].map((m) => room.send(book(m)));
    await turn();
    release.shift()!();
    expect(await first).toMatchObject({ ok: true });
    while (release.length === 0) await turn();
    release.shift()!();
    for (const ack of await Promise.all(rest)) expect(ack).toMatchObject({ ok: true, result: { status: "booked" } });
    await turn();
    await turn();

    expect(commits).toEqual([1, 4]);
    expect(notes.map((n) => n.kpis.bookings)).toEqual([1, 4]);
    expect(notes[1]!.roster).toEqual(["m1", "m2", "m3", "m4"].map((memberId) => ({ memberId, status: "booked" })));
    expect(notes[1]!.entry).toMatchObject({ booked: 5 });
    // Every member still hears of their own booking.
    for (const m of ["m0", "m1", "m2", "m3", "m4"]) expect(tells).toContain(`user:${m} booking`);
  });
});
