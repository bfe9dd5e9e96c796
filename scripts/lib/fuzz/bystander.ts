/** The staff bystander of a fuzz run: a coach and a member watch the attacked class while it is fuzzed, and judge their streams. */
import type { JoinResult, RoomDelta } from "../../../domain/protocol/envelope.js";
import { applyPatch } from "../../../domain/protocol/patch.js";
import type { SpotterServer } from "../../../server/createServer.js";
import { connectAs, type TestSocket } from "../sockets.js";

export interface BystanderReport {
  commands: number;
  failed: string[];
  /** Ack latency of the coach's commands (reported, not asserted: it depends on the machine's load). */
  p50Ms: number;
  p99Ms: number;
  slowestMs: number;
  /** Deltas received by the staff watcher and by a member watcher; `gaps` counts any seq that was not previous + 1. */
  staffDeltas: number;
  memberDeltas: number;
  gaps: number;
  /** The staff watcher's view, built from its snapshot and every delta, equals a fresh snapshot at the end. */
  replayMatches: boolean;
}

/**
 * A coach watching the attacked class toggles its capacity (and ends where it began) while a member
 * watches the public view. `stop()` checks that both streams were contiguous and that the coach's
 * replayed view equals a fresh snapshot.
 */
export async function startBystander(server: SpotterServer, sessionId: string, coachId: string, memberId: string, periodMs = 50) {
  const room = `class:${sessionId}`;
  const coach = await connectAs(server, coachId);
  const member = await connectAs(server, memberId);
  const join = async (s: TestSocket) => {
    const ack = await s.join(room);
    if (!ack.ok || !("snapshot" in ack.result)) throw new Error(`bystander could not join: ${JSON.stringify(ack)}`);
    return ack.result as Extract<JoinResult, { snapshot: unknown }>;
  };
  const staffStart = await join(coach);
  const memberStart = await join(member);
  const base = (staffStart.snapshot as { session: { capacity: number } }).session.capacity;
  const report: BystanderReport = {
    commands: 0,
    failed: [],
    p50Ms: 0,
    p99Ms: 0,
    slowestMs: 0,
    staffDeltas: 0,
    memberDeltas: 0,
    gaps: 0,
    replayMatches: false,
  };
  const latencies: number[] = [];
  let running = true;
  const setCapacity = async (capacity: number) => {
    const started = performance.now();
    const ack = await coach.command(room, "class:setCapacity", { sessionId, capacity });
    report.commands += 1;
    latencies.push(Math.round(performance.now() - started));
    if (!ack.ok) report.failed.push(`${ack.error.code}: ${ack.error.message}`);
  };
  const loop = (async () => {
    for (let i = 1; running; i++) {
      await setCapacity(base + (i % 2));
      await new Promise((r) => setTimeout(r, periodMs));
    }
  })();
  const contiguous = (deltas: RoomDelta[], from: number) => {
    let seq = from;
    for (const d of deltas.filter((x) => x.room === room)) {
      if (d.seq !== seq + 1) report.gaps += 1;
      seq = d.seq;
    }
    return deltas.filter((x) => x.room === room).length;
  };
  return {
    async stop(): Promise<BystanderReport> {
      running = false;
      await loop;
      await setCapacity(base);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
      Object.assign(report, { p50Ms: at(0.5), p99Ms: at(0.99), slowestMs: at(1) });
      await new Promise((r) => setTimeout(r, 200));
      report.staffDeltas = contiguous(coach.deltas, staffStart.seq);
      report.memberDeltas = contiguous(member.deltas, memberStart.seq);
      const replayed = coach.deltas.filter((d) => d.room === room).reduce((v, d) => applyPatch(v, d.ops), staffStart.snapshot);
      const fresh = await connectAs(server, coachId);
      const now = await join(fresh);
      report.replayMatches = JSON.stringify(replayed) === JSON.stringify(now.snapshot);
      for (const s of [coach, member, fresh]) s.close();
      return report;
    },
  };
}
