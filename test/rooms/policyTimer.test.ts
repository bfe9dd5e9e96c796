/**
 * Issue 18: a policy version published to take effect later reaches an open member app when it takes effect, not
 * only when it is published. The gym room's public `policies` names the version in force (and the next); its own
 * timer fires at the effective instant and republishes. An injected clock (the room's) and fake timers let hours pass.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RoomDelta, RoomId } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import type { WaiverVersionRef } from "../../domain/model.js";
import type { GymRoomState, PublicGymView } from "../../domain/views/gymView.js";
import { GymRoom, type GymStore } from "../../rooms/GymRoom.js";
import { aPolicy, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { nextTurn, testRuntime } from "../support/roomRuntime.js";

const HOUR = 3_600_000;
const v1: WaiverVersionRef = { version: "w-1", effectiveAt: EARLY - 24 * HOUR, document: "waiver" };
/** Published for a day and a half ahead: past the timer's one-hour look-again, so the room re-arms on the way. */
const v2: WaiverVersionRef = { version: "w-2", effectiveAt: EARLY + 36 * HOUR, document: "waiver" };

function gymRoom(versions: WaiverVersionRef[]) {
  let now = EARLY;
  const deltas: RoomDelta[] = [];
  const state = (): GymRoomState => ({
    gym: { id: GYM, name: "Gym", timeZone: "Europe/Berlin", currency: "EUR" },
    policy: aPolicy({ waiverVersions: versions }),
    locations: {},
    classTypes: {},
    coaches: {},
    scheduleUntil: EARLY + 7 * 24 * HOUR,
    schedule: {},
    checkIns: [],
    kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
  });
  const store: GymStore = {
    loadGym: async () => ({ state: state(), fence: 1, processed: [] }),
    findMember: async () => null,
    findBookings: async () => [],
    statusChangesAfter: async () => [],
    commitGym: async () => undefined,
  };
  const rt = testRuntime(() => now, sequentialIds("g"));
  rt.broadcaster = { delta: (channel, d) => void (channel.endsWith("#public") && deltas.push(d)), reset() {}, revoke() {} };
  const room = new GymRoom(`gym:${GYM}` as RoomId, rt, store, GYM, async () => ({ ok: true, result: null }));
  /** Moves the room's clock and the timers together (and lets the watchers' deltas go out). */
  const pass = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
    await nextTurn();
  };
  return { room, deltas, pass };
}

/** A public watcher's view: its join snapshot with every delta since applied. */
function watcher(room: GymRoom, deltas: RoomDelta[]) {
  const joined = room.join("public");
  if (!("snapshot" in joined)) throw new Error("expected a snapshot");
  const from = deltas.length;
  return () => deltas.slice(from).reduce((view, d) => applyPatch(view, d.ops) as PublicGymView, joined.snapshot as PublicGymView);
}

describe("a policy version that takes effect later", () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
  afterEach(() => void vi.useRealTimers());

  it("moves the open public view when it takes effect: in force and next before, in force alone after", async () => {
    const { room, deltas, pass } = gymRoom([v1, v2]);
    await room.start();
    const view = watcher(room, deltas);
    expect(view().policies).toEqual({ waiver: `w-1@${v1.effectiveAt} → w-2@${v2.effectiveAt}` });
    // A minute before, nothing moved (the hourly looks on the way publish nothing new).
    await pass(36 * HOUR - 60_000);
    expect(view().policies).toEqual({ waiver: `w-1@${v1.effectiveAt} → w-2@${v2.effectiveAt}` });
    // At the effective instant the room's own timer republishes: the watcher reads w-2 in force, no command needed.
    await pass(60_000);
    expect(view().policies).toEqual({ waiver: `w-2@${v2.effectiveAt}` });
    expect(room.join("public")).toMatchObject({ snapshot: { policies: { waiver: `w-2@${v2.effectiveAt}` } } });
    await room.stop();
  });

  it("arms for a version published while the room runs (the publish's policy note), and keeps no timer once stopped", async () => {
    const { room, deltas, pass } = gymRoom([v1]);
    await room.start();
    const view = watcher(room, deltas);
    expect(view().policies).toEqual({ waiver: `w-1@${v1.effectiveAt}` });
    await room.send({ kind: "note", note: { type: "policy", policy: aPolicy({ waiverVersions: [v1, v2] }) } });
    await nextTurn();
    expect(view().policies).toEqual({ waiver: `w-1@${v1.effectiveAt} → w-2@${v2.effectiveAt}` });
    await pass(36 * HOUR);
    expect(view().policies).toEqual({ waiver: `w-2@${v2.effectiveAt}` });
    await room.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
