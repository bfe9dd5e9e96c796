/**
 * Issue 15 (per-answer CPU): a class room's lists keep one array map. An empty list with SMI elements (`[].map`,
 * `filter` with no match) or a holey one (`map` once TurboFan inlines it) reaching `liveBookingOf`, `heldSpots` or a
 * commit hook threw their optimised code away ("wrong map") at every new room of a storm. Checked with V8's own
 * elements-kind intrinsics.
 */
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import type { ClassState } from "../../domain/class/index.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { objectList } from "../../domain/shapes.js";
import { roomChanges, stateEvents, type ClassChange } from "../../rooms/classChange.js";
import { classStore } from "../../server/persistence/classStore.js";
import { withMigratedGym } from "../support/migratedGym.js";
import { postgresOrPglite } from "../support/services.js";

setFlagsFromString("--allow-natives-syntax");
/** "packed objects" for an array whose map holds object elements without holes; else what it is. */
const kind = new Function(
  "a",
  `return (%HasHoleyElements(a) ? "holey " : "packed ") + (%HasSmiElements(a) ? "smis" : %HasDoubleElements(a) ? "doubles" : "objects");`,
) as (a: readonly unknown[]) => string;
const lists = (cls: ClassState) => ({
  bookings: cls.bookings,
  waitlist: cls.waitlist,
  fees: cls.fees,
  checkIns: cls.checkIns,
  attendance: cls.attendance,
  results: cls.board.results,
});

const pg = await postgresOrPglite();

describe("array maps of a class room's lists", () => {
  const t = withMigratedGym(pg, { capacity: 2, members: 1 });

  it("loads a room with no bookings with object-element lists", async () => {
    const deps = { orm: t.db.orm, nodeId: "node-a", now: Date.now, idempotencyWindowMs: 60_000 };
    const loaded = await classStore(deps).loadClass(`class:${t.gym.sessionId}` as RoomId, t.gym.sessionId);
    const found = Object.entries(lists(loaded!.state.cls)).map(([name, list]) => [name, list.length, kind(list)]);
    expect(found).toEqual(Object.keys(lists(loaded!.state.cls)).map((name) => [name, 0, "packed objects"]));
  });

  it("gives a commit's changes object elements even when there are none", () => {
    const notice = { type: "notice.created", notice: {} } as ClassChange;
    expect(kind(stateEvents([notice]))).toBe("packed objects");
    expect(kind(roomChanges([], [], []))).toBe("packed objects");
    expect(kind(objectList<object>())).toBe("packed objects");
  });
});
