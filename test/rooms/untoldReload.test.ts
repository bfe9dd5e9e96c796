/**
 * A room's copy of a member can move without a change of its own to store: a tick (or a `standings` note) reloads a
 * waiting member and decides nothing. If a commit is in flight, that outcome queues with no events, and the next batch's
 * guards replay its events on the last committed state, which still holds the old copy. Regression: a waiting member
 * with 1 pack credit bought 4 more elsewhere; a tick reloaded them (5) behind an in-flight commit; a cancel then promoted
 * them in the same batch, charging 5 → 4 in the room, but the credits guard took the delta against the committed 1
 * (+3), and the database went 5 → 8. The reload is told to the next commit that stores something.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { ClassRoom } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aMember, aPackMember, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { fakeClassStore } from "../support/fakeClassStore.js";
import { testRuntime } from "../support/roomRuntime.js";

let seq = 0;
const command = (memberId: string, type: string, extra: Record<string, unknown> = {}): RoomMessage => {
  const caller: Caller = { userId: memberId, membership: { gymId: GYM, role: "member", status: "active" } };
  return { kind: "command", caller, commandId: `u-${++seq}`, type, payload: { sessionId: "session-1", ...extra }, receivedAt: EARLY };
};

/**
 * A class of 1 that ann holds, xia waiting with 1 pack credit who then buys 4 more elsewhere, and a commit the
 * database holds (bob joining the waitlist): what follows queues behind it.
 */
async function xiaWaitingBehindACommit(ids: string) {
  const db = fakeClassStore([aMember({ memberId: "ann" }), aMember({ memberId: "bob" }), aPackMember("xia", 1)], { capacity: 1 });
  const room = new ClassRoom(
    "class:session-1" as RoomId,
    testRuntime(() => EARLY, sequentialIds(ids)),
    db.store,
    "session-1",
  );
  await room.start();
  expect(await room.send(command("ann", "class:book"))).toMatchObject({ ok: true, result: { status: "booked" } });
  expect(await room.send(command("xia", "class:book", { waitlist: true }))).toMatchObject({ ok: true });
  expect(db.credits.get("xia")).toBe(1); // waiting: nothing charged yet
  db.credits.set("xia", 5); // bought a pack at the desk (another room's commit)
  db.holdCommits();
  const inFlight = room.send(command("bob", "class:book", { waitlist: true })); // waitlisted: a commit the database holds
  await new Promise((r) => setTimeout(r, 5));
  return { db, room, inFlight };
}

describe("a reload that stored nothing, behind an in-flight commit", () => {
  it("is told to the next commit: a promotion charges the credits the room decided on, not the committed copy's", async () => {
    const { db, room, inFlight } = await xiaWaitingBehindACommit("u");
    const tick = room.send({ kind: "note", note: { type: "tick" } }); // reloads xia (5): nothing to store
    const cancel = room.send(command("ann", "class:cancelBooking")); // promotes xia: 5 → 4 in the room
    await new Promise((r) => setTimeout(r, 5));
    db.releaseCommits();
    await Promise.all([inFlight, tick]);
    expect(await cancel).toMatchObject({ ok: true });
    expect(db.credits.get("xia")).toBe(4);
  });

  it("is told also when a later reload found the same standing and only a new name", async () => {
    const { db, room, inFlight } = await xiaWaitingBehindACommit("v");
    const first = room.send({ kind: "note", note: { type: "tick" } }); // reloads xia: 5 credits
    await new Promise((r) => setTimeout(r, 5)); // handled (its answer waits for the held commit)
    db.names.set("xia", "Xia Renamed");
    const second = room.send({ kind: "note", note: { type: "tick" } }); // the same standing again, and a new name
    const cancel = room.send(command("ann", "class:cancelBooking"));
    await new Promise((r) => setTimeout(r, 5));
    db.releaseCommits();
    await Promise.all([inFlight, first, second]);
    expect(await cancel).toMatchObject({ ok: true });
    expect(db.credits.get("xia")).toBe(4);
  });
});
