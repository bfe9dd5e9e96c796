/**
 * A commit's answers go out before its notes to other rooms. Regression: a cancel that shifted a long waitlist
 * told every waiter's `user:` room its new place (and the gym room its schedule line) synchronously, before the
 * cancel's own answer and the promoted member's notice could be written: both waited behind the whole fan-out.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { ClassRoom, type ClassStore, type LoadedMember } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aClassState, aMember, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

const store: ClassStore = {
  async loadClass() {
    const state: ClassRoomState = {
      cls: aClassState({ session: { capacity: 1 } }),
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
  async commitClass() {},
};

let seq = 0;
const command = (memberId: string, type: string, extra: Record<string, unknown> = {}): RoomMessage => {
  const caller: Caller = { userId: memberId, membership: { gymId: GYM, role: "member", status: "active" } };
  return { kind: "command", caller, commandId: `c-${++seq}`, type, payload: { sessionId: "session-1", ...extra }, receivedAt: EARLY };
};

describe("a class room's commit", () => {
  it("answers the cancel and tells the promoted member before it tells the waiters their new places", async () => {
    const log: string[] = [];
    const rt = {
      ...testRuntime(() => EARLY, sequentialIds("x")),
      tell(room: RoomId, message: RoomMessage) {
        if (message.kind === "note")
          log.push(
            `${room} ${message.note.type}${message.note.type === "notice" ? ` ${(message.note.notice as { kind: string }).kind}` : ""}`,
          );
      },
    };
    const room = new ClassRoom("class:session-1" as RoomId, rt, store, "session-1");
    const waiters = Array.from({ length: 8 }, (_, i) => `w${i}`);
    expect(await room.send(command("ann", "class:book"))).toMatchObject({ ok: true, result: { status: "booked" } });
    for (const w of waiters)
      expect(await room.send(command(w, "class:book", { waitlist: true }))).toMatchObject({ ok: true, result: { status: "waitlisted" } });
    await new Promise((r) => setImmediate(r));
    log.length = 0;

    const cancel = room.send(command("ann", "class:cancelBooking")).then((ack) => {
      log.push(`ack ${ack.ok}`);
      return ack;
    });
    expect(await cancel).toMatchObject({ ok: true });
    await new Promise((r) => setImmediate(r));

    const ack = log.indexOf("ack true");
    const promoted = log.indexOf("user:w0 notice promoted");
    const firstPlace = log.findIndex((l) => l.endsWith(" waitlist"));
    const schedule = log.indexOf(`gym:${GYM} session`);
    expect(promoted).toBeGreaterThanOrEqual(0);
    // Every waiter left hears its new place, and the gym its schedule line — after the answer and the notice.
    expect(log.filter((l) => l.endsWith(" waitlist")).length).toBeGreaterThanOrEqual(waiters.length - 1);
    expect(ack).toBeLessThan(firstPlace);
    expect(ack).toBeLessThan(schedule);
    expect(promoted).toBeLessThan(firstPlace);
  });
});
