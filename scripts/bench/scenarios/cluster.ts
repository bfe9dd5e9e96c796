/**
 * 9. Cluster: the booking storm on 3 Spotter nodes (one PostgreSQL, one Redis) against the same storm
 * on 1 node, in the same run; then the takeover time after SIGKILL of a room's owner.
 *
 * All nodes are pinned to the same server core(s) as the single node: the comparison shows what
 * ownership, forwarding and fencing cost on the same hardware, not what more hardware buys. Clients follow the
 * `room:join` owner hint before the storm, as the protocol offers (docs/protocol.md): a booking that lands on the
 * owner pays no Redis round trip.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedGym, seedSessions } from "../lib/data.js";
import { split, startWorkers, stopAll, type BenchContext } from "../lib/context.js";
import { generatorCount, measureGenerators } from "../lib/generators.js";
import {
  cpuSeconds,
  mainThreadCpuSeconds,
  postgresCpuSeconds,
  startSpotter,
  threadCpuPerAnswer,
  threadCpuSeconds,
  type Proc,
} from "../lib/procs.js";
import type { Check, Figure, Outcome, ProfileRef } from "../lib/report.js";
import { all } from "../lib/rpc.js";
import { clock, profileClock, Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connect } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";
import type { StormAnswer, StormPress } from "../workers/storm.js";
import { verifyStorm } from "./storm.js";
import { pressesFor, warmStorms } from "../lib/pressRun.js";
import { describeRedis, redisCounts, type RedisCounts } from "../lib/redisCounts.js";
import type { ProbeRecord } from "../lib/serverProbe.js";

const SESSIONS = 100;
const CAPACITY = 20;
const SPREAD_MS = 1_000;
const LEASE_MS = 2_000;

function startNodes(ctx: BenchContext, count: number, probeFiles: string[] = []): Promise<Proc[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      startSpotter({
        databaseUrl: ctx.dbUrl,
        redisUrl: ctx.redisUrl,
        jwtSecret: ctx.secret,
        transport: "uws",
        cpus: ctx.serverCpus,
        env: { LEASE_MS: String(LEASE_MS) },
        ...(probeFiles[i] ? { probeFile: probeFiles[i] } : {}),
        // With --profile: one CPU profile per node, in a directory per cluster size and node (where the 3 nodes' extra CPU goes).
        ...(ctx.profileDir ? { cpuProfDir: profileDirOf(ctx.profileDir, count, i) } : {}),
      }),
    ),
  );
}

const profileDirOf = (root: string, count: number, node: number) => join(root, `cluster-${count}`, `node-${node}`);

async function stopNodes(ctx: BenchContext, nodes: Proc[]): Promise<void> {
  for (const exit of await Promise.all(nodes.map((n) => n.stop()))) {
    if (exit.code !== 0 && exit.code !== null) ctx.log(`cluster: a node exited ${exit.code}: ${exit.stderr.slice(-1_000)}`);
  }
}

interface StormMeasured {
  committedPerSecond: number;
  p99: number;
  generatorBound: boolean;
  /** Redis traffic of all nodes from the first press to the last answer (null without probe records). */
  redis: RedisCounts | null;
  answers: number;
  checks: Check[];
  /** With --profile: each node's profile over the storm window, per answer of the whole cluster. */
  profiles: ProfileRef[];
}

/** Reads (and removes) the probe records the nodes wrote at exit. */
function readProbes(files: readonly string[]): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    out.push(JSON.parse(readFileSync(f, "utf8")) as ProbeRecord);
    rmSync(f, { force: true });
  }
  return out;
}

/**
 * The storm with members spread evenly over the nodes' URLs (each load generator talks to one node); each member first
 * opens their class (`room:join`) and reconnects to the node its owner hint names, so commands land on the owner.
 */
async function storm(ctx: BenchContext, nodes: number, members: number): Promise<StormMeasured> {
  const tag = `cluster-${nodes}-${ctx.run}`;
  const data = new Rng(`cluster:${tag}`);
  const plan = new Rng(`cluster:plan:${ctx.run}`);
  const gym = await seedGym(ctx.db, data, tag, members);
  const sessions = await seedSessions(ctx.db, data, gym, SESSIONS, CAPACITY, 24 * 60);
  const presses = pressesFor(gym.members, sessions, plan, `cluster-${ctx.run}`, SPREAD_MS);
  const probeFiles = Array.from({ length: nodes }, (_, i) => join(tmpdir(), `spotter-bench-probe-${process.pid}-${tag}-${i}.json`));
  const servers = await startNodes(ctx, nodes, probeFiles);
  const workers = startWorkers(ctx, "storm", generatorCount(`cluster-${nodes}`, 3));
  let measured: Omit<StormMeasured, "redis">;
  let window: { from: number; to: number };
  try {
    // --warm: unmeasured storms of the same shape on other gyms first (both sizes), as in scenario 1.
    const warmups: StormPress[][] = [];
    for (let w = 0; w < (ctx.warm ?? 0); w++) {
      const other = await seedGym(ctx.db, data, `${tag}-warm${w}`, members);
      const otherSessions = await seedSessions(ctx.db, data, other, SESSIONS, CAPACITY, 24 * 60);
      warmups.push(pressesFor(other.members, otherSessions, plan, `${tag}-warm${w}`, SPREAD_MS));
    }
    await warmStorms(workers, warmups, (i) => ({ url: servers[i % servers.length]!.url, secret: ctx.secret, followHints: true }));
    const slices = split(presses, workers.length);
    // Members open their class first and follow its owner hint (on 1 node too, so both runs start from the same warm rooms).
    const setups = await all<{ moved: number }>(workers, "setup", (i) => ({
      url: servers[i % servers.length]!.url,
      secret: ctx.secret,
      presses: slices[i],
      followHints: true,
    }));
    ctx.log(`cluster: ${setups.reduce((n, s) => n + s.moved, 0)} of ${presses.length} members reconnected to their class's owner`);
    const go = clock() + 500;
    const load = measureGenerators(ctx, `cluster storm on ${nodes} node(s)`, workers, go);
    const cpu0 = servers.map((s) => [cpuSeconds(s.pid), mainThreadCpuSeconds(s.pid)] as const);
    const threads0 = servers.map((s) => threadCpuSeconds(s.pid));
    const pg0 = postgresCpuSeconds();
    const answers = (await all<StormAnswer[]>(workers, "fire", () => ({ go }))).flat();
    const pgUsed = postgresCpuSeconds() - pg0;
    const used = servers.map((s, i) => [cpuSeconds(s.pid) - cpu0[i]![0], mainThreadCpuSeconds(s.pid) - cpu0[i]![1]] as const);
    const toHr = profileClock();
    const perAnswer = (sec: number) => `${((sec * 1000) / answers.length).toFixed(3)} ms`;
    ctx.log(
      `cluster storm on ${nodes} node(s): server CPU per answer ${perAnswer(used.reduce((n, u) => n + u[0], 0))} ` +
        `(main threads ${perAnswer(used.reduce((n, u) => n + u[1], 0))}; per node ${used.map((u) => perAnswer(u[0])).join(", ")}), ` +
        `PostgreSQL ${perAnswer(pgUsed)}; by thread (ms per answer of all nodes): ` +
        servers.map((s, i) => `node ${i + 1}: ${threadCpuPerAnswer(threads0[i]!, threadCpuSeconds(s.pid), answers.length)}`).join("; "),
    );
    const generatorBound = load().bound;
    await all(workers, "close", () => undefined);
    const done = Math.max(...answers.map((a) => a.ackAt));
    window = { from: go, to: done };
    measured = {
      committedPerSecond: (answers.filter((a) => a.ok).length * 1000) / (done - go),
      p99: summary(answers.map((a) => a.ackAt - a.sentAt)).p99,
      generatorBound,
      answers: answers.length,
      profiles: ctx.profileDir
        ? used.map(([cpu, main], i) => ({
            label: `9 cluster, ${nodes} node(s): node ${i + 1} (per answer of all nodes)`,
            dir: profileDirOf(ctx.profileDir!, nodes, i),
            fromUs: toHr(go),
            toUs: toHr(Math.max(...answers.map((a) => a.ackAt))),
            answers: answers.length,
            mainThreadCpuMs: main * 1000,
            processCpuMs: cpu * 1000,
          }))
        : [],
      checks: await verifyStorm(ctx, `9 cluster storm (${nodes} node${nodes > 1 ? "s" : ""})`, gym.gymId, answers),
    };
  } finally {
    await stopAll(workers);
    await stopNodes(ctx, servers);
  }
  // The probes write at exit: counted once every node has stopped.
  const probes = readProbes(probeFiles);
  const redis = probes.length > 0 ? redisCounts(probes, window.from, window.to) : null;
  if (redis) ctx.log(`cluster storm on ${nodes} node(s): Redis during the storm: ${describeRedis(redis, measured.answers)}`);
  return { ...measured, redis };
}

/**
 * Node A owns a class room (a member on A booked there); A is killed with SIGKILL; a member on node B
 * keeps trying to book that class every 50 ms. Takeover = kill → B's first successful answer.
 */
async function takeover(ctx: BenchContext): Promise<{ ms: number; checks: Check[] }> {
  const tag = `takeover-${ctx.run}`;
  const data = new Rng(`cluster:${tag}`);
  const gym = await seedGym(ctx.db, data, tag, 40);
  const [sessionId] = await seedSessions(ctx.db, data, gym, 1, 30, 24 * 60);
  const room = `class:${sessionId}`;
  const [a, b] = await startNodes(ctx, 2);
  const onA = await connect(a!.url, ctx.secret, gym.members[0]!);
  const before = await ask(onA, "command", command(`${tag}-first`, room, "class:book", { sessionId }));
  const tries: { ok: boolean; code: string | null }[] = [];
  let ms = NaN;
  try {
    if (!before.ok) throw new Error(`the first booking on node A failed: ${JSON.stringify(before.error)}`);
    const killedAt = clock();
    process.kill(a!.pid, "SIGKILL");
    for (let i = 1; i < gym.members.length && clock() - killedAt < 30_000; i++) {
      const onB = await connect(b!.url, ctx.secret, gym.members[i]!);
      const answer = await ask(onB, "command", command(`${tag}-${i}`, room, "class:book", { sessionId }), 20_000);
      onB.close();
      tries.push({ ok: answer.ok, code: answer.ok ? null : (answer.error?.code ?? "?") });
      if (answer.ok) {
        ms = clock() - killedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    closeAll([onA]);
    await stopNodes(ctx, [a!, b!]);
  }
  const { rows } = await ctx.db.query<{ n: string }>(`select count(*) as n from booking where session_id = $1 and status = 'booked'`, [
    sessionId,
  ]);
  const acked = 1 + tries.filter((t) => t.ok).length;
  const refusals = [...new Set(tries.filter((t) => !t.ok).map((t) => t.code))].join(", ") || "none";
  return {
    ms,
    checks: [
      {
        scenario: "9 cluster takeover",
        name: "the new owner answers within 30 s of the kill",
        ok: Number.isFinite(ms),
        detail: `${tries.length} tries; refusals before: ${refusals}`,
      },
      {
        scenario: "9 cluster takeover",
        name: "every acked booking survived the kill",
        ok: Number(rows[0]!.n) === acked,
        detail: `${rows[0]!.n} stored, ${acked} acked`,
      },
    ],
  };
}

export async function cluster(ctx: BenchContext): Promise<Outcome> {
  const members = ctx.members ?? (ctx.quick ? 1_000 : 3_000);
  ctx.log(`cluster: storm of ${members} members on 3 nodes and on 1 node`);
  const order = ctx.run % 2 === 0 ? [3, 1] : [1, 3];
  const got = new Map<number, StormMeasured>();
  for (const nodes of order) got.set(nodes, await storm(ctx, nodes, members));
  ctx.log("cluster: takeover after SIGKILL");
  const t = await takeover(ctx);
  const three = got.get(3)!;
  const one = got.get(1)!;
  const scenario = "9 cluster";
  const against = "the same storm on 1 node (all nodes pinned to the same server core)";
  const bound = three.generatorBound || one.generatorBound ? { generatorBound: true } : {};
  const figures: Figure[] = [
    {
      ...bound,
      scenario,
      metric: `committed bookings/s, 3 nodes (${members} members)`,
      value: three.committedPerSecond,
      baseline: one.committedPerSecond,
      unit: "/s",
      against,
      target: { op: ">=", value: 0.9, on: "ratio" },
    },
    { ...bound, scenario, metric: "ack p99, 3 nodes", value: three.p99, baseline: one.p99, unit: "ms", against },
    {
      scenario,
      metric: "Redis commands per booking, 3 nodes (all nodes, storm window)",
      value: three.redis ? three.redis.sentTotal / three.answers : NaN,
      baseline: one.redis ? one.redis.sentTotal / one.answers : NaN,
      unit: "",
      against,
    },
    {
      scenario,
      metric: "forwarded requests per booking, 3 nodes (node-to-node hops)",
      value: three.redis ? three.redis.forwards / three.answers : NaN,
      baseline: one.redis ? one.redis.forwards / one.answers : NaN,
      unit: "",
      against,
    },
    {
      scenario,
      metric: `takeover after SIGKILL (lease ${LEASE_MS.toLocaleString("en-US")} ms)`,
      value: t.ms,
      baseline: null,
      unit: "ms",
      target: { op: "<=", value: 3_000, on: "value" },
    },
  ];
  return { figures, checks: [...three.checks, ...one.checks, ...t.checks], profiles: [...three.profiles, ...one.profiles] };
}
