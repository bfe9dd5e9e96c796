/**
 * Around a fuzz run: the gym it attacks, the lanes and floods in chunks, the verdict and its summary.
 * Row and memory measures are in measure.ts, the staff bystander in bystander.ts.
 */
import { randomUUID } from "node:crypto";
import { signToken } from "../../../server/auth.js";
import type { SpotterServer } from "../../../server/createServer.js";
import { BookingEntity } from "../../../server/db/entities/index.js";
import { aGym } from "../gymFixture.js";
import { startBystander, type BystanderReport } from "./bystander.js";
import type { FuzzTargets } from "./frames.js";
import { merge, runLane, type Lane, type LaneReport } from "./lane.js";
import { memoryMb, rowFingerprint } from "./measure.js";

export interface FuzzSetup {
  server: SpotterServer;
  gymId: string;
  sessionId: string;
  coachId: string;
  /** Members of the gym: the first two fuzz, the third is the target of "on behalf of" frames, the fourth watches. */
  memberIds: [string, string, string, string];
  /** A member of another gym: their frames must all be refused by authorization. */
  outsiderId: string;
  /** The server's `MAX_PAYLOAD_BYTES` and `COMMANDS_PER_SECOND`. */
  maxPayloadBytes: number;
  commandsPerSecond: number;
}

export interface FuzzOutcome {
  seed: number;
  ms: number;
  totals: LaneReport;
  health: number;
  rowsBefore: Record<string, string>;
  rowsAfter: Record<string, string>;
  /** Heap after GC and RSS before the run, then after each chunk of 5,000 frames. */
  memory: { heapUsed: number; rss: number }[];
  bystander: BystanderReport;
}

/** Frames per chunk: every chunk opens fresh lanes, floods twice, and samples memory. */
export const CHUNK = 5_000;

/**
 * The whole fuzz run, in chunks of {@link CHUNK} frames over four lanes: two sockets of one member
 * (the first floods in every chunk, past the per-socket and the per-user limit), a second member, and
 * another gym's member. Ordinary frames are paced below the rate limit so they reach validation and
 * authorization; each chunk's lanes are seeded from `seed` (see {@link laneSeed}).
 */
export async function fuzzServer(
  s: FuzzSetup,
  seed: number,
  frames: number,
  onChunk?: (done: number, memory: { heapUsed: number; rss: number }) => void,
): Promise<FuzzOutcome> {
  const [m1, m2, other, watcher] = s.memberIds;
  const targets = (selfId: string, member: boolean): FuzzTargets => ({
    gymId: s.gymId,
    sessionId: s.sessionId,
    selfId,
    member,
    otherMemberId: other,
    maxPayloadBytes: s.maxPayloadBytes,
  });
  const token = (userId: string) => signToken(s.server.jwtSecret!, userId, 3_600);
  const lanes: Lane[] = [
    { token: await token(m1), targets: targets(m1, true) },
    { token: await token(m1), targets: targets(m1, true) },
    { token: await token(m2), targets: targets(m2, true) },
    { token: await token(s.outsiderId), targets: targets(s.outsiderId, false) },
  ];
  // A socket's burst is 2× its rate and a user's 4×: a flood of 4× the rate on one of a user's two sockets passes both,
  // unless the server took longer than 2 s to read it (then it was not faster than the limit).
  const flood = s.commandsPerSecond * 4;
  const rate = s.commandsPerSecond * 0.6;
  const rowsBefore = await rowFingerprint(s.server.db.orm);
  const memory = [memoryMb()];
  const bystander = await startBystander(s.server, s.sessionId, s.coachId, watcher);
  const started = performance.now();
  const totals: LaneReport = {
    frames: 0,
    wireFrames: 0,
    bytes: 0,
    byCategory: {},
    answers: {},
    closes: {},
    knownIssues: {},
    violations: [],
  };
  for (let done = 0, round = 0; done < frames; round++) {
    const n = Math.min(CHUNK, frames - done);
    // The flooding lane gets its flood on top of an equal share, so all lanes take about as long.
    const floods = n >= flood + 1_000 ? flood : 0;
    const share = Math.floor((n - floods) / lanes.length);
    const per = lanes.map((_, i) => share + (i === 0 ? n - share * lanes.length : 0));
    const reports = await Promise.all(
      lanes.map((lane, i) =>
        runLane(s.server.url, lane, laneSeed(seed, round, i), per[i]!, { ratePerSecond: rate, flood: i === 0 ? floods : 0 }),
      ),
    );
    for (const r of reports) merge(totals, r);
    done += n;
    memory.push(memoryMb());
    onChunk?.(done, memory[memory.length - 1]!);
  }
  const ms = Math.round(performance.now() - started);
  const bystanderReport = await bystander.stop();
  const health = (await fetch(`${s.server.url}/health`)).status;
  return { seed, ms, totals, health, rowsBefore, rowsAfter: await rowFingerprint(s.server.db.orm), memory, bystander: bystanderReport };
}

/** A gym to attack (a class with two bookings, six members, a coach) and a member of another gym. */
export async function prepareFuzz(
  server: SpotterServer,
  limits: { maxPayloadBytes: number; commandsPerSecond: number },
): Promise<FuzzSetup> {
  const orm = server.db.orm;
  const gym = await aGym(orm, { members: 6, capacity: 12 });
  const outsiderId = (await aGym(orm, { members: 1 })).members[0]!.id;
  const em = orm.em.fork();
  for (const m of gym.members.slice(4, 6)) {
    const at = Date.now();
    em.create(BookingEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: gym.sessionId,
      memberId: m.id,
      status: "booked",
      createdAt: at,
      updatedAt: at,
      creditUsed: false,
      promotedFromWaitlist: false,
    });
  }
  await em.flush();
  const ids = gym.members.map((m) => m.id);
  return {
    server,
    gymId: gym.gymId,
    sessionId: gym.sessionId,
    coachId: gym.coachId,
    memberIds: [ids[0]!, ids[1]!, ids[2]!, ids[3]!],
    outsiderId,
    ...limits,
  };
}

/** Everything a run must hold, as readable failures (empty when it held). Shared by the test and `npm run fuzz`. */
export function outcomeProblems(o: FuzzOutcome, maxHeapGrowthMb = 48): string[] {
  const problems = [...o.totals.violations];
  const b = o.bystander;
  if (o.health !== 200) problems.push(`/health answered ${o.health}`);
  if (JSON.stringify(o.rowsAfter) !== JSON.stringify(o.rowsBefore))
    problems.push(`rows changed: ${JSON.stringify(o.rowsBefore)} → ${JSON.stringify(o.rowsAfter)}`);
  if (b.failed.length > 0) problems.push(`bystander commands failed: ${b.failed.join("; ")}`);
  if (b.commands < 5 || b.staffDeltas < 5 || b.memberDeltas < 5) problems.push(`bystander too quiet to judge: ${JSON.stringify(b)}`);
  if (b.gaps > 0) problems.push(`bystander saw ${b.gaps} gaps in its deltas`);
  if (!b.replayMatches) problems.push("bystander's replayed view differs from a fresh snapshot");
  const growth = o.memory.at(-1)!.heapUsed - o.memory[0]!.heapUsed;
  if (growth >= maxHeapGrowthMb) problems.push(`heap grew by ${growth} MB (bound ${maxHeapGrowthMb} MB)`);
  // The run must have reached every layer: schema and authorization refusals, the rate limit, real answers, closed connections.
  for (const code of ["ok", "VALIDATION_FAILED", "NOT_FOUND", "FORBIDDEN", "RATE_LIMITED"])
    if (!o.totals.answers[code]) problems.push(`no ${code} answer: the run did not reach that layer`);
  if (!Object.values(o.totals.closes).some((c) => c.closed > 0)) problems.push("no frame closed a connection");
  return problems;
}

/** Each chunk of each lane has its own seed, derived from the run's seed: any chunk can be replayed alone. */
export function laneSeed(seed: number, round: number, lane: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + round * 1_000_003 + lane * 7_919) >>> 0;
}

/** A readable summary of an outcome (the script prints it; the test prints it on failure). */
export function describeOutcome(o: FuzzOutcome): string {
  const t = o.totals;
  const lines = [
    `seed ${o.seed}: ${t.frames} frames (${t.wireFrames} WebSocket messages, ${(t.bytes / 1_048_576).toFixed(1)} MB) in ${(o.ms / 1000).toFixed(1)} s`,
    `answers: ${Object.entries(t.answers)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `connection closed by the server / survived, per category: ${Object.entries(t.closes)
      .map(([k, v]) => `${k} ${v.closed}/${v.survived}`)
      .join(", ")}`,
    `known issues reached: ${
      Object.keys(t.knownIssues).length === 0
        ? "none"
        : Object.entries(t.knownIssues)
            .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
            .join("; ")
    }`,
    `bystander: ${o.bystander.commands} commands (${o.bystander.failed.length} failed; ack p50 ${o.bystander.p50Ms} ms, p99 ${o.bystander.p99Ms} ms, slowest ${o.bystander.slowestMs} ms), deltas staff ${o.bystander.staffDeltas} / member ${o.bystander.memberDeltas}, gaps ${o.bystander.gaps}, replay ${o.bystander.replayMatches ? "matches" : "DIFFERS"}`,
    `memory (heap after GC / RSS, MB, per ${CHUNK} frames): ${o.memory.map((m) => `${m.heapUsed}/${m.rss}`).join(" → ")}`,
    `/health ${o.health}; rows ${JSON.stringify(o.rowsBefore) === JSON.stringify(o.rowsAfter) ? "unchanged" : "CHANGED"}`,
    `violations: ${t.violations.length === 0 ? "none" : `\n  ${t.violations.join("\n  ")}`}`,
  ];
  return lines.join("\n");
}
