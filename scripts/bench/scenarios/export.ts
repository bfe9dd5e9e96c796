/**
 * 9. Member data export: one member with 100,000 logged sets downloads `GET /api/me/export.json` while a
 * prober asks `/health` every 5 ms. The figure is `/health` p99 during the export (an export must never block
 * the event loop other gyms' requests run on); the baseline is the same prober against the same idle server.
 * Correctness: the export answers every set, in order, under the right workout and exercise.
 */
import { signToken } from "../../../server/auth.js";
import { insertRows, seedGym } from "../lib/data.js";
import { startSystem, type BenchContext } from "../lib/context.js";
import type { Check, Figure, Outcome } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";
import { pct, sorted } from "../lib/stats.js";

const EXERCISES_PER_LOG = 10;
const SETS_PER_EXERCISE = 10;

/** Logs `sets` sets for `memberId` straight into the tables (as `user:logWorkout` stores them), oldest first. */
async function seedSets(ctx: BenchContext, rng: Rng, gymId: string, memberId: string, sets: number): Promise<void> {
  const logs = Math.ceil(sets / (EXERCISES_PER_LOG * SETS_PER_EXERCISE));
  const start = Date.now() - logs * 3_600_000;
  const logRows: unknown[][] = [];
  const exerciseRows: unknown[][] = [];
  const setRows: unknown[][] = [];
  for (let l = 0; l < logs; l++) {
    const logId = rng.uuid();
    logRows.push([logId, gymId, memberId, `Log ${l}`, new Date(start + l * 3_600_000), null, 0, 0, 0, 0, "{}"]);
    for (let e = 0; e < EXERCISES_PER_LOG; e++) {
      const exerciseId = rng.uuid();
      exerciseRows.push([exerciseId, logId, memberId, e, `Move ${e}`]);
      for (let s = 0; s < SETS_PER_EXERCISE; s++)
        setRows.push([rng.uuid(), logId, exerciseId, memberId, s, l * 1_000 + e * 10 + s + 1, null, null, null, false]);
    }
  }
  await insertRows(
    ctx.db,
    "workout_log",
    ["id", "gym_id", "member_id", "title", "performed_at", "command_id", "volume", "distance_meters", "pr_count", "xp", "result"],
    logRows,
  );
  await insertRows(ctx.db, "workout_exercise", ["id", "log_id", "member_id", "position", "movement"], exerciseRows);
  await insertRows(
    ctx.db,
    "workout_set",
    ["id", "log_id", "exercise_id", "member_id", "position", "reps", "grams", "ms", "meters", "is_pr"],
    setRows,
  );
}

/** Asks `/health` back to back (5 ms apart) until `until` settles; answers each round trip in ms (a probe given up after 60 s counts 60 s). */
async function probe(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  until.then(
    () => (done = true),
    () => (done = true),
  );
  const out: number[] = [];
  while (!done) {
    const t0 = performance.now();
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(60_000) }).then(
      (res) => res.arrayBuffer(),
      () => null,
    );
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
  return out;
}

type Exported = { workouts: { title: string; exercises: { movement: string; sets: { reps: number }[] }[] }[] };

/** Every set in log order, exercise order and set order: reps encode (log, exercise, set) as seeded. */
function exportIsComplete(data: Exported, logs: number): string | null {
  if (data.workouts.length !== logs) return `${data.workouts.length} workouts, expected ${logs}`;
  for (let l = 0; l < logs; l++) {
    const w = data.workouts[l]!;
    if (w.exercises.length !== EXERCISES_PER_LOG) return `workout ${l} has ${w.exercises.length} exercises`;
    for (let e = 0; e < EXERCISES_PER_LOG; e++) {
      const sets = w.exercises[e]!.sets;
      if (sets.length !== SETS_PER_EXERCISE) return `workout ${l} exercise ${e} has ${sets.length} sets`;
      for (let s = 0; s < SETS_PER_EXERCISE; s++)
        if (sets[s]!.reps !== l * 1_000 + e * 10 + s + 1) return `workout ${l} exercise ${e} set ${s} is out of place`;
    }
  }
  return null;
}

export async function exportScenario(ctx: BenchContext): Promise<Outcome> {
  const sets = 100_000;
  const rng = new Rng(`export:${ctx.run}`);
  const gym = await seedGym(ctx.db, rng, `export-${ctx.run}`, 1);
  const memberId = gym.members[0]!;
  ctx.log(`seeding ${sets.toLocaleString("en-US")} sets`);
  await seedSets(ctx, rng, gym.gymId, memberId, sets);
  const logs = sets / (EXERCISES_PER_LOG * SETS_PER_EXERCISE);

  const server = await startSystem(ctx, "spotter");
  const scenario = "9 export";
  const checks: Check[] = [];
  try {
    const token = await signToken(ctx.secret, memberId, 3_600);
    const idle = sorted(await probe(server.url, new Promise((r) => setTimeout(r, ctx.quick ? 2_000 : 5_000))));
    const t0 = performance.now();
    // Given up after 120 s: the figure then says how long /health waited, the check fails.
    const download = fetch(`${server.url}/api/me/export.json`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(120_000),
    }).then(
      async (res) => ({ status: res.status, body: Buffer.from(await res.arrayBuffer()) }),
      (err: unknown) => ({ status: 0, body: Buffer.from(String(err)) }),
    );
    const during = sorted(await probe(server.url, download));
    const exportMs = performance.now() - t0;
    const { status, body } = await download;
    const problem =
      status !== 200
        ? `status ${status}: ${body.toString("utf8").slice(0, 200)}`
        : exportIsComplete(JSON.parse(body.toString("utf8")) as Exported, logs);
    checks.push({
      scenario,
      name: `the export answered all ${sets.toLocaleString("en-US")} sets in order`,
      ok: problem === null,
      detail: problem ?? `${(body.length / 1e6).toFixed(1)} MB`,
    });
    const against = "the same /health prober against the same server with no export running";
    const figures: Figure[] = [
      {
        scenario,
        metric: `/health p99 during a ${sets.toLocaleString("en-US")}-set export`,
        value: pct(during, 99),
        unit: "ms",
        baseline: pct(idle, 99),
        against,
        target: { op: "<", value: 50, on: "value" },
      },
      {
        scenario,
        metric: `/health max during the export (${during.length} probes)`,
        value: pct(during, 100),
        unit: "ms",
        baseline: pct(idle, 100),
      },
      {
        scenario,
        metric: `export of ${sets.toLocaleString("en-US")} sets, request to last byte`,
        value: exportMs,
        unit: "ms",
        baseline: null,
      },
    ];
    return { figures, checks };
  } finally {
    const stopped = await server.stop();
    if (stopped.code !== 0 && stopped.code !== null) ctx.log(`server exited ${stopped.code}: ${stopped.stderr.slice(-500)}`);
  }
}
