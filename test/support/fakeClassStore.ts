/**
 * A class room's store over memory, for room tests: members' standings read from a credits table the test can change
 * (another room's commit), commits that apply the database's credits guard (a batch moves each member's credits by its
 * delta against what the room knew: the base's standings, then each `standing.updated`) and wait at a gate the test
 * holds, and reads that can be held too.
 */
import type { ClassRoomState } from "../../domain/views/classView.js";
import type { ClassChange, ClassStore, LoadedMember } from "../../rooms/ClassRoom.js";
import { aClassState, type aMember } from "./domainBuilders.js";

export function fakeClassStore(members: ReturnType<typeof aMember>[], o: { capacity?: number; readDelayMs?: number } = {}) {
  const credits = new Map(members.map((m) => [m.memberId, m.credits]));
  const names = new Map<string, string>();
  const reads: string[][] = [];
  const commits: ClassChange[][] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  let reading: Promise<void> = Promise.resolve();
  let openReads: () => void = () => {};
  const store: ClassStore = {
    async loadClass() {
      const state: ClassRoomState = {
        cls: aClassState({ session: { capacity: o.capacity ?? 10 } }),
        labels: { className: "WOD", color: "#000", locationName: "", coachName: null },
        people: {},
      };
      return { state, fence: 1, processed: [] };
    },
    async loadMembers(_session, ids) {
      reads.push([...ids]);
      // What the database says now; the answer may arrive later (a slow read).
      const out = new Map<string, LoadedMember>();
      for (const id of ids) {
        const m = members.find((x) => x.memberId === id);
        if (m)
          out.set(id, {
            standing: { ...m, credits: credits.get(id) ?? null },
            person: {
              name: names.get(id) ?? id,
              email: `${id}@example.com`,
              phone: "",
              visible: true,
              membershipStatus: "active",
              notes: "",
            },
          });
      }
      if (o.readDelayMs) await new Promise((r) => setTimeout(r, o.readDelayMs));
      await reading;
      return out;
    },
    async commitClass(_room, base, events) {
      await gate;
      // The database's guard: credits move by the batch's delta (against what the room knew) and never go below zero.
      const known = new Map(Object.values(base.cls.members).map((m) => [m.memberId, m.credits]));
      const delta = new Map<string, number>();
      for (const e of events) {
        if (e.type === "standing.updated") known.set(e.standing.memberId, e.standing.credits);
        if (e.type === "credits.changed") {
          delta.set(e.memberId, (delta.get(e.memberId) ?? 0) + e.credits - (known.get(e.memberId) ?? 0));
          known.set(e.memberId, e.credits);
        }
      }
      for (const [id, d] of delta) {
        const next = (credits.get(id) ?? 0) + d;
        if (next < 0) throw new Error(`credits of ${id} would go negative`);
        credits.set(id, next);
      }
      commits.push(events);
    },
  };
  return {
    store,
    reads,
    commits,
    credits,
    names,
    holdCommits() {
      gate = new Promise((r) => (open = r));
    },
    releaseCommits() {
      open();
    },
    holdReads() {
      reading = new Promise((r) => (openReads = r));
    },
    releaseReads() {
      openReads();
    },
  };
}
