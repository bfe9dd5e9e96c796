/**
 * A commit's answers go out before its notes to other rooms. Regression: a cancel that shifted a long waitlist
 * told every waiter's `user:` room its new place (and the gym room its schedule line) synchronously, before the
 * cancel's own answer and the promoted member's notice could be written: both waited behind the whole fan-out.
 * Likewise the watchers' deltas (issue 15): the answer and the promoted member's notice were written only after
 * the staff and public deltas were built and broadcast; now those go on the next turn, and nothing is lost or
 * reordered for a watcher (a join in between publishes first; commits of one turn are one delta).
 */
import { describe, expect, it } from "vitest";
import type { RoomDelta, RoomId } from "../../domain/protocol/envelope.js";
import { touched, valueSection } from "../../domain/views/sections.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { ClassRoom, type ClassStore, type LoadedMember } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { RoomViews } from "../../rooms/roomViews.js";
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

describe("a commit's watchers", () => {
  it("get their deltas after the answer and the promoted member's notice, on the next turn", async () => {
    const log: string[] = [];
    const base = testRuntime(() => EARLY, sequentialIds("y"));
    const rt = {
      ...base,
      broadcaster: { ...base.broadcaster, delta: (channel: string) => void log.push(`delta ${channel}`) },
      tell(room: RoomId, message: RoomMessage) {
        if (message.kind === "note" && message.note.type === "notice") log.push(`${room} notice`);
      },
    };
    const room = new ClassRoom("class:session-1" as RoomId, rt, store, "session-1");
    expect(await room.send(command("bea", "class:book"))).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(await room.send(command("cem", "class:book", { waitlist: true }))).toMatchObject({ ok: true, result: { status: "waitlisted" } });
    await new Promise((r) => setImmediate(r));
    log.length = 0;

    const cancel = room.send(command("bea", "class:cancelBooking")).then((ack) => void log.push(`ack ${ack.ok}`));
    await cancel;
    // The answer and the promoted member's notice are out; no watcher's delta was built or sent before them.
    expect(log).toEqual(expect.arrayContaining(["ack true", "user:cem notice"]));
    expect(log.filter((l) => l.startsWith("delta"))).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(log.slice(log.indexOf("ack true"))).toEqual(
      expect.arrayContaining(["delta class:session-1#staff", "delta class:session-1#public"]),
    );
    expect(log.findIndex((l) => l.startsWith("delta"))).toBeGreaterThan(Math.max(log.indexOf("ack true"), log.indexOf("user:cem notice")));
  });

  it("answer a landed batch before the next batch's statement is built", async () => {
    const log: string[] = [];
    let commits = 0;
    const slow: ClassStore = {
      ...store,
      commitClass: async (_room, _base, _changes, processed) => {
        log.push(`commit ${++commits} (${processed.length})`);
        await new Promise((r) => setTimeout(r, 5));
      },
    };
    const room = new ClassRoom(
      "class:session-1" as RoomId,
      testRuntime(() => EARLY, sequentialIds("z")),
      slow,
      "session-1",
    );
    await room.start();
    const acks = ["dan", "eve", "fay"].map((m) => room.send(command(m, "class:book", { waitlist: true })).then(() => log.push(`ack ${m}`)));
    await Promise.all(acks);
    // The first commits alone; the two that queued behind it go together, built only after the first one's answer.
    expect(log).toEqual(["commit 1 (1)", "ack dan", "commit 2 (2)", "ack eve", "ack fay"]);
  });

  type V = { n: number };
  function views(audiences: ("staff" | "public" | "owner")[]) {
    const sent: { channel: string; delta: RoomDelta }[] = [];
    const rt = testRuntime(() => EARLY);
    rt.broadcaster = { ...rt.broadcaster, delta: (channel, delta) => void sent.push({ channel, delta }) };
    const sections = { n: valueSection<V>((s) => s.n) };
    const v = new RoomViews<V>({
      room: "class:v" as RoomId,
      rt,
      audiences: () => audiences,
      channel: (a) => `class:v#${a}`,
      project: (s) => ({ n: s.n }),
      sections: () => sections,
    });
    v.load({ n: 0 }, 100);
    return { v, sent };
  }

  it("of one turn get one delta per audience, in sequence; a join in between publishes first", async () => {
    const { v, sent } = views(["staff", "public"]);
    v.publish({ n: 1 }, touched(["n"]));
    v.publish({ n: 2 }, touched(["n"]));
    expect(sent).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(sent.map((s) => [s.channel, s.delta.seq, s.delta.ops])).toEqual([
      ["class:v#staff", 101, [{ op: "set", path: ["n"], value: 2 }]],
      ["class:v#public", 101, [{ op: "set", path: ["n"], value: 2 }]],
    ]);
    v.publish({ n: 3 }, touched(["n"]));
    // A joiner sees the state after every commit so far, and the next delta follows it without a gap.
    expect(v.join("staff")).toMatchObject({ seq: 102, snapshot: { n: 3 } });
    expect(v.join("public", 101)).toMatchObject({ seq: 102, deltas: [{ seq: 102 }] });
    v.publish({ n: 4 }, touched(["n"]));
    await new Promise((r) => setImmediate(r));
    expect(sent.map((s) => s.delta.seq)).toEqual([101, 101, 102, 102, 103, 103]);
  });

  it("of an owner's own room (a user room) get the delta at once", () => {
    const { v, sent } = views(["owner"]);
    v.publish({ n: 1 }, touched(["n"]));
    expect(sent.map((s) => [s.channel, s.delta.seq])).toEqual([["class:v#owner", 101]]);
  });
});
