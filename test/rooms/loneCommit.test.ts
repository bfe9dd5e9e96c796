/**
 * Group commit without a wait for nobody: a command with nothing behind it in the mailbox commits at once (it used
 * to wait `flushMaxDelayMs` for company that could not come — on every lone cancel, check-in and promotion), while
 * commands that arrive together still go in one commit.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { ClassRoom, type ClassStore, type LoadedMember } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aClassState, aMember, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

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
    const person = (id: string) => ({
      name: id,
      email: `${id}@example.com`,
      phone: "",
      visible: true,
      membershipStatus: "active" as const,
      notes: "",
    });
    return new Map<string, LoadedMember>(ids.map((id) => [id, { standing: aMember({ memberId: id }), person: person(id) }]));
  },
  async commitClass(_room, _base, _changes, processed) {
    commits.push(processed.length);
  },
};

let seq = 0;
const book = (memberId: string): RoomMessage => {
  const caller: Caller = { userId: memberId, membership: { gymId: GYM, role: "member", status: "active" } };
  return { kind: "command", caller, commandId: `c-${++seq}`, type: "class:book", payload: { sessionId: "session-1" }, receivedAt: EARLY };
};

describe("a class room's group commit", () => {
  const room = () =>
    new ClassRoom(
      "class:session-1" as RoomId,
      { ...testRuntime(() => EARLY, sequentialIds("x")), flushMaxDelayMs: 5_000 },
      store,
      "session-1",
    );

  it("commits a lone command at once instead of waiting the grouping delay", async () => {
    const r = room();
    await r.start();
    commits.length = 0;
    const started = performance.now();
    expect(await r.send(book("ann"))).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(commits).toEqual([1]);
  });

  it("still commits commands that arrive together in one commit", async () => {
    const r = room();
    await r.start();
    commits.length = 0;
    const started = performance.now();
    const acks = await Promise.all(["a", "b", "c", "d", "e"].map((m) => r.send(book(m))));
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(commits).toEqual([5]);
  });
});
