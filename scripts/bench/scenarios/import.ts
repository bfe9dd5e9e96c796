/**
 * 13. Member import (issue 18): an owner uploads a 10,000-row CSV export (Mindbody column names; a plan, tags and a
 * join date on every row, 100 of them people who are already members) to `POST /api/imports/members`: first the dry
 * run, then the import, then the same file again. The figure is the import, request to answer; the target is < 10 s.
 * Correctness: every new person became a member once, and the second run added nobody. Then the plans they hold: a
 * 10,000-row plans file (every other row a pack with credits left) — every member given their plan, the balances
 * equal to the file's credits and to the sum of their ledger entries.
 */
import { signToken } from "../../../server/auth.js";
import { insertRows, seedGym } from "../lib/data.js";
import { startSystem, type BenchContext } from "../lib/context.js";
import type { Check, Figure, Outcome } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";

const ROWS = 10_000;
const EXISTING = 100;

type Report = { committed: boolean; rows: number; errorCount: number; counts: { add: number; join: number; matched: number } };

/** The plans file: Mindbody's header; even rows a pack with `i % 10 + 1` credits left, odd rows Unlimited. */
function planFile(tag: string, existing: readonly string[]): { csv: string; credits: number } {
  const lines = ["Client Email,Pricing Option,Activation Date,Expiration Date,Remaining"];
  let credits = 0;
  for (let i = 0; i < ROWS; i++) {
    const email = i < existing.length ? existing[i]! : `import${i}-${tag}@bench.spotter`;
    if (i % 2 === 0) {
      lines.push(`${email},10 Class Pack,2026-11-01,2099-12-31,${(i % 10) + 1}`);
      credits += (i % 10) + 1;
    } else lines.push(`${email},Unlimited,11/1/2026,,`);
  }
  return { csv: lines.join("\r\n"), credits };
}

/** The file: Mindbody's header, then `ROWS` members; the first `EXISTING` are the gym's seeded members. */
function memberFile(tag: string, existing: readonly string[]): string {
  const lines = ["First Name,Last Name,Email,Mobile Phone,Membership,Status,Creation Date,Tags"];
  for (let i = 0; i < ROWS; i++) {
    const email = i < existing.length ? existing[i]! : `import${i}-${tag}@bench.spotter`;
    const month = String((i % 12) + 1).padStart(2, "0");
    lines.push(
      `Imported${i},"Member, ${tag}",${email},+49 170 ${String(1_000_000 + i)},Unlimited,${i % 10 === 0 ? "On Hold" : "Active"},2024-${month}-15,bench;import`,
    );
  }
  return lines.join("\r\n");
}

export async function importScenario(ctx: BenchContext): Promise<Outcome> {
  const rng = new Rng(`import:${ctx.run}`);
  const tag = `import-${ctx.run}`;
  const gym = await seedGym(ctx.db, rng, tag, EXISTING);
  const ownerId = rng.uuid();
  await insertRows(
    ctx.db,
    "app_user",
    ["id", "email", "name", "phone", "visible"],
    [[ownerId, `owner-${tag}@bench.spotter`, "Owner Bench", null, true]],
  );
  await insertRows(
    ctx.db,
    "gym_membership",
    ["id", "gym_id", "user_id", "role", "status", "plan_id", "credits", "credits_expire_at", "notes", "joined_at"],
    [[rng.uuid(), gym.gymId, ownerId, "owner", "active", null, null, null, "", new Date()]],
  );
  const emails = Array.from({ length: EXISTING }, (_, i) => `m${i}-${tag}@bench.spotter`);
  const csv = memberFile(tag, emails);
  const server = await startSystem(ctx, "spotter");
  const scenario = "13 import";
  const checks: Check[] = [];
  try {
    const token = await signToken(ctx.secret, ownerId, 3_600);
    const upload = async (commit: boolean, kind = "members", file = csv) => {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/imports/${kind}?gym=${gym.gymId}&commit=${commit ? 1 : 0}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "x-spotter": "1", "content-type": "text/csv" },
        body: file,
        signal: AbortSignal.timeout(120_000),
      });
      const body = (await res.json()) as Report & { error?: { message: string } };
      return { ms: performance.now() - t0, status: res.status, body };
    };
    ctx.log(`uploading ${ROWS.toLocaleString("en-US")} rows (${(csv.length / 1e6).toFixed(1)} MB)`);
    const dry = await upload(false);
    const imported = await upload(true);
    const again = await upload(true);
    const added = ROWS - EXISTING;
    const members = await ctx.db.query(`select count(*)::int as n from gym_membership where gym_id = $1 and role = 'member'`, [gym.gymId]);
    const n = Number((members.rows[0] as { n: number }).n);
    checks.push({
      scenario,
      name: `the import added ${added.toLocaleString("en-US")} members and matched ${EXISTING} by email`,
      ok: imported.status === 200 && imported.body.counts?.add === added && imported.body.counts.matched === EXISTING && n === ROWS,
      detail:
        imported.status === 200
          ? `${JSON.stringify(imported.body.counts)}; ${n} members`
          : `status ${imported.status}: ${imported.body.error?.message ?? ""}`,
    });
    checks.push({
      scenario,
      name: "the same file again added nobody",
      ok: again.status === 200 && again.body.counts?.add === 0 && again.body.counts.matched === ROWS,
      detail: JSON.stringify(again.body.counts ?? again.body),
    });
    await ctx.db.query(
      `insert into membership_plan (id, gym_id, name, entitlement, weekly_target, price_cents) values ($1, $2, '10 Class Pack', '{"kind":"pack","credits":10,"validDays":90}', 2, 12000)`,
      [rng.uuid(), gym.gymId],
    );
    const plans = planFile(tag, emails);
    const held = await upload(true, "plans", plans.csv);
    const sums = await ctx.db.query(
      `select coalesce(sum(m.credits), 0)::int as credits,
              (select coalesce(sum(l.amount), 0)::int from credit_ledger l where l.gym_id = $1) as ledger
         from gym_membership m where m.gym_id = $1`,
      [gym.gymId],
    );
    const sum = sums.rows[0] as { credits: number; ledger: number };
    const assigned = (held.body.counts as unknown as { assign?: number } | undefined)?.assign;
    checks.push({
      scenario,
      name: `the plans import gave ${ROWS.toLocaleString("en-US")} plans; balances = the file's credits = the ledger`,
      ok: held.status === 200 && assigned === ROWS && sum.credits === plans.credits && sum.ledger === plans.credits,
      detail: `status ${held.status}, ${JSON.stringify(held.body.counts ?? held.body.error)}; credits ${sum.credits}, ledger ${sum.ledger}, file ${plans.credits}`,
    });
    const figures: Figure[] = [
      {
        scenario,
        metric: `import of ${ROWS.toLocaleString("en-US")} rows, request to answer`,
        value: imported.ms,
        unit: "ms",
        baseline: null,
        target: { op: "<", value: 10_000, on: "value" },
      },
      { scenario, metric: `dry run of the same file (every row checked)`, value: dry.ms, unit: "ms", baseline: null },
      { scenario, metric: `the same file again (all matched, nothing written)`, value: again.ms, unit: "ms", baseline: null },
      {
        scenario,
        metric: `plans import of ${ROWS.toLocaleString("en-US")} rows (half packs with credits), request to answer`,
        value: held.ms,
        unit: "ms",
        baseline: null,
        target: { op: "<", value: 10_000, on: "value" },
      },
    ];
    return { figures, checks };
  } finally {
    const stopped = await server.stop();
    if (stopped.code !== 0 && stopped.code !== null) ctx.log(`server exited ${stopped.code}: ${stopped.stderr.slice(-500)}`);
  }
}
