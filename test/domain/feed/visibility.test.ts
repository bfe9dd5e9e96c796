import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../../domain/feed/cursor.js";
import {
  defaultVisibility,
  invalidFeedEvent,
  isCheckInMilestone,
  Visibilities,
  type NewFeedEvent,
  type Visibility,
} from "../../../domain/feed/events.js";
import { canSee, mayInteract } from "../../../domain/feed/visibility.js";

const gym = "00000000-0000-4000-8000-000000000001";
const other = "00000000-0000-4000-8000-000000000002";
const me = "10000000-0000-4000-8000-000000000001";
const actor = "10000000-0000-4000-8000-000000000002";
const ev = (visibility: Visibility, actorId = actor, gymId = gym) => ({ gymId, actorId, visibility });
const none = { follows: false, blocked: false };

describe("canSee", () => {
  it("shows gym and public events to every member of the gym", () => {
    expect(canSee({ userId: me, gymId: gym }, ev("gym"), none)).toBe(true);
    expect(canSee({ userId: me, gymId: gym }, ev("public"), none)).toBe(true);
  });

  it("shows followers events only to followers", () => {
    expect(canSee({ userId: me, gymId: gym }, ev("followers"), none)).toBe(false);
    expect(canSee({ userId: me, gymId: gym }, ev("followers"), { follows: true, blocked: false })).toBe(true);
  });

  it("shows private events to their actor only", () => {
    expect(canSee({ userId: me, gymId: gym }, ev("private"), { follows: true, blocked: false })).toBe(false);
    expect(canSee({ userId: actor, gymId: gym }, ev("private"), none)).toBe(true);
  });

  it("never shows another gym's event, whatever the visibility", () => {
    for (const v of Visibilities) expect(canSee({ userId: me, gymId: other }, ev(v), { follows: true, blocked: false })).toBe(false);
    expect(canSee({ userId: actor, gymId: other }, ev("public"), none)).toBe(false);
  });

  it("hides everything between a blocked pair, for every visibility and follow state", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Visibilities), fc.boolean(), (visibility, follows) => {
        expect(canSee({ userId: me, gymId: gym }, ev(visibility), { follows, blocked: true })).toBe(false);
      }),
    );
  });

  it("lets a blocked pair never interact, nor anyone with themselves", () => {
    expect(mayInteract(me, actor, true)).toBe(false);
    expect(mayInteract(me, me, false)).toBe(false);
    expect(mayInteract(me, actor, false)).toBe(true);
  });
});

describe("feed events", () => {
  const base: NewFeedEvent = { gymId: gym, actorId: actor, kind: "pr", payload: { count: 1 }, at: 1_700_000_000_000 };

  it("defaults to the member's setting, else gym, else private for members hidden on rosters", () => {
    expect(defaultVisibility("followers", true)).toBe("followers");
    expect(defaultVisibility(null, true)).toBe("gym");
    expect(defaultVisibility(undefined, false)).toBe("private");
  });

  it("refuses unknown kinds, oversized payloads and non-integer instants", () => {
    expect(invalidFeedEvent(base)).toBeNull();
    expect(invalidFeedEvent({ ...base, kind: "gossip" as never })).toMatch(/kind/);
    expect(invalidFeedEvent({ ...base, visibility: "world" as never })).toMatch(/visibility/);
    expect(invalidFeedEvent({ ...base, payload: { text: "x".repeat(3000) } })).toMatch(/payload/);
    expect(invalidFeedEvent({ ...base, at: 1.5 })).toMatch(/epoch/);
  });

  it("names the 10th, 50th and 100th check-ins as milestones", () => {
    expect([9, 10, 11, 50, 100].map(isCheckInMilestone)).toEqual([false, true, false, true, true]);
  });
});

describe("feed cursors", () => {
  it("round-trips every position", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.uuid(), (at, id) => {
        expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id });
      }),
    );
  });

  it("refuses cursors that are not ours", () => {
    for (const bad of [
      "",
      "abc",
      "!!!",
      btoa("12.not-a-uuid"),
      btoa(`-5.${me}`),
      encodeCursor({ at: 9_000_000_000_000_000, id: me }),
      "x".repeat(200),
    ])
      expect(decodeCursor(bad)).toBeNull();
  });
});
