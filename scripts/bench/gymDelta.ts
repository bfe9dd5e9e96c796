/**
 * `node --import tsx scripts/bench/gymDelta.ts [--sessions 50,500] [--notes 3000] [--runs 5]`
 *
 * Per-booking CPU in one gym room (a helper, not a timed test): a committed booking reaches the gym
 * room as a `session` note (new counts for one schedule line, today's KPIs), and the room publishes
 * what changed to its staff and public watchers. Measured in process, without a database or sockets,
 * as the schedule in the window grows: with nobody watching, and with both audiences watched (the
 * broadcaster JSON-encodes each delta once, as the transport would). Prints the median µs per note
 * of `runs` runs per size, and checks that a watcher applying the deltas holds what a fresh join shows.
 * Baseline, same process and run: what the room did before deltas were built from the change — copy
 * the schedule record, project both whole views and diff each against the previous one.
 */
import { parseArgs } from "node:util";
import { DefaultGymPolicy } from "../../domain/policy.js";
import type { RoomDelta } from "../../domain/protocol/envelope.js";
import { applyPatch, diff } from "../../domain/protocol/patch.js";
import { occupancy, type GymRoomState, type ScheduleEntry } from "../../domain/views/gymView.js";
import { GymRoom, type GymStore } from "../../rooms/GymRoom.js";
import type { RoomRuntime } from "../../rooms/ports.js";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "50,500" },
    notes: { type: "string", default: "3000" },
    runs: { type: "string", default: "5" },
  },
});
const sizes = values.sessions.split(",").map(Number);
const notes = Number(values.notes);
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const T0 = Date.UTC(2026, 11, 7, 6);

function state(sessions: number): GymRoomState {
  const schedule: Record<string, ScheduleEntry> = {};
  for (let i = 0; i < sessions; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const startsAt = T0 + Math.floor((i * 7 * 86_400_000) / sessions);
    schedule[id] = {
      id,
      locationId: "loc",
      classTypeId: `type${i % 8}`,
      coachId: "coach",
      startsAt,
      endsAt: startsAt + 3_600_000,
      capacity: 20,
      status: "scheduled",
      className: `Class ${i % 8}`,
      color: "#336699",
      locationName: "Main floor",
      coachName: "Coach",
      booked: 0,
      checkedIn: 0,
      waitlist: 0,
      spotsLeft: 20,
    };
  }
  const classTypes = Object.fromEntries(
    Array.from({ length: 8 }, (_, i) => [
      `type${i}`,
      { id: `type${i}`, gymId: "g", name: `Class ${i}`, description: "", color: "#336699", promotionMode: null },
    ]),
  );
  return {
    gym: { id: "g", name: "Bench gym", timeZone: "UTC", currency: "EUR" },
    policy: { ...DefaultGymPolicy } as GymRoomState["policy"],
    locations: { loc: "Main floor" },
    classTypes,
    coaches: { coach: "Coach" },
    scheduleUntil: T0 + 8 * 86_400_000,
    schedule,
    checkIns: [],
    kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
  };
}

interface Watch {
  watched: boolean;
  /** Deltas by channel, applied after the timed loop (a watcher's work is not the room's). */
  sent: Record<string, RoomDelta[]>;
  bytes: number;
}

function room(sessions: number, w: Watch): { room: GymRoom; ids: string[]; base: GymRoomState } {
  const base = state(sessions);
  const store: GymStore = {
    loadGym: async () => ({ state: base, fence: 1, processed: [] }),
    findMember: async () => null,
    findBookings: async () => [],
    statusChangesAfter: async () => [],
    commitGym: async () => {},
  };
  let now = T0 - 3_600_000;
  const rt: RoomRuntime = {
    now: () => (now += 1),
    newId: () => String(now),
    log: { info() {}, warn() {}, error() {} },
    broadcaster: {
      delta: (channel: string, delta: RoomDelta) => {
        w.bytes += JSON.stringify(delta).length;
        (w.sent[channel] ??= []).push(delta);
      },
      reset() {},
      revoke() {},
      // Read by rooms that skip audiences nobody watches (ignored where the port has no such method).
      watched: () => w.watched,
    } as RoomRuntime["broadcaster"],
    tell() {},
    flushMaxBatch: 64,
    flushMaxDelayMs: 0,
    ringSize: 256,
    idempotencyWindowMs: 60_000,
    onFlush() {},
    onFlushFailure() {},
  };
  return { room: new GymRoom("gym:g", rt, store, "g", async () => ({ ok: true, result: null })), ids: Object.keys(base.schedule), base };
}

async function perNote(sessions: number, watched: boolean): Promise<{ us: number; agrees: boolean }> {
  const w: Watch = { watched, sent: {}, bytes: 0 };
  const { room: r, ids, base } = room(sessions, w);
  await r.start();
  const held: Record<string, unknown> = {};
  // Joining marks an audience watched; the unwatched case must not join until the end.
  if (watched)
    for (const audience of ["staff", "public"] as const) held[r.channel(audience)] = (r.join(audience) as { snapshot: unknown }).snapshot;
  const booked = new Map<string, number>();
  const send = async (i: number) => {
    const id = ids[(i * 7919) % ids.length]!;
    const n = (booked.get(id) ?? 0) + 1;
    booked.set(id, n);
    const entry = { ...base.schedule[id]!, booked: n % 21, spotsLeft: 20 - (n % 21) };
    await r.send({ kind: "note", note: { type: "session", entry, kpis: { bookings: 1, noShows: 0, feesCents: 0 } } });
    // Each note comes from its own commit, in its own turn: the room builds its deltas after the turn's replies
    // (rooms/afterReplies.ts), so without a turn between notes nothing would be built until the final join.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  for (let i = 0; i < 200; i++) await send(i); // warm-up
  const cpu0 = process.cpuUsage();
  for (let i = 200; i < 200 + notes; i++) await send(i);
  const cpu = process.cpuUsage(cpu0);
  let agrees = true;
  if (watched)
    for (const audience of ["staff", "public"] as const) {
      const channel = r.channel(audience);
      const view = (w.sent[channel] ?? []).reduce((v, d) => applyPatch(v, d.ops), held[channel]);
      const fresh = (r.join(audience) as { snapshot: unknown }).snapshot;
      agrees &&= JSON.stringify(sorted(fresh)) === JSON.stringify(sorted(view));
    }
  await r.stop();
  return { us: (cpu.user + cpu.system) / notes, agrees };
}

/** The old path per note: a copied schedule record, both views projected whole and diffed. */
function wholeViewDiff(sessions: number): number {
  let st = state(sessions);
  const ids = Object.keys(st.schedule);
  // The views as they were projected before (the schedule record itself, walked whole by `diff`).
  const publicView = (x: GymRoomState, now: number) => ({
    gym: x.gym,
    locations: x.locations,
    schedule: x.schedule,
    occupancy: occupancy(x, now),
    classTypes: Object.fromEntries(
      Object.values(x.classTypes).map((t) => [t.id, { name: t.name, color: t.color, description: t.description }]),
    ),
  });
  const project = (x: GymRoomState, now: number) =>
    [{ ...publicView(x, now), coaches: x.coaches, checkIns: x.checkIns.slice(-30).reverse(), kpis: x.kpis }, publicView(x, now)] as const;
  const count = Math.max(50, Math.floor(notes / 10));
  let shown = project(st, T0);
  let ops = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const id = ids[(i * 7919) % ids.length]!;
    const entry = { ...st.schedule[id]!, booked: (i % 20) + 1 };
    st = { ...st, schedule: { ...st.schedule, [id]: entry }, kpis: { ...st.kpis, bookings: st.kpis.bookings + 1 } };
    const next = project(st, T0 + i);
    ops += diff(shown[0], next[0]).length + diff(shown[1], next[1]).length;
    shown = next;
  }
  const cpu = process.cpuUsage(cpu0);
  if (ops === 0) throw new Error("baseline found no changes");
  return (cpu.user + cpu.system) / count;
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
  );
}

let allAgree = true;
await perNote(sizes[0]!, true); // JIT warm-up, not reported
for (const sessions of sizes) {
  for (const watched of [false, true]) {
    const us: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await perNote(sessions, watched);
      us.push(r.us);
      allAgree &&= r.agrees;
    }
    console.log(`sessions ${sessions} ${watched ? "watched" : "unwatched"}: ${median(us).toFixed(1)} µs per booking`);
  }
  const base = Array.from({ length: runs }, () => wholeViewDiff(sessions));
  console.log(`sessions ${sessions} baseline whole-view diff: ${median(base).toFixed(1)} µs per booking`);
}
console.log(allAgree ? "deltas agree with a fresh join" : "MISMATCH: a watcher's view differs from a fresh join");
process.exit(allAgree ? 0 : 1);
