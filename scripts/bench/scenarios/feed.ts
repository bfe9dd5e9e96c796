/**
 * 7. Feed page load: a member of a gym with 200,000 feed events (200 members; gym, public, followers and
 * private events; follows, blocks both ways, reactions and comments on the newest events) asks for pages of
 * 50 cards over the real protocol (`feed:page` on uWS, production mode, PostgreSQL): the newest page and
 * pages reached by walking the keyset cursor 20 pages deep. Round trip measured at the client, p50 and p95.
 * No baseline. Checks: every page holds 50 cards newest first, no card twice along a walk, no card of a
 * member blocked either way, no other member's private event.
 */
import { randomUUID } from "node:crypto";
import { decodeCursor, type FeedPosition } from "../../../domain/feed/cursor.js";
import type { FeedPage } from "../../../domain/protocol/feed.js";
import { feedPageQuery } from "../../../server/persistence/feedCards.js";
import { insertRows, seedGym } from "../lib/data.js";
import { startSystem, type BenchContext } from "../lib/context.js";
import type { Check, Outcome } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connect } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";

const EVENTS = 200_000;
const MEMBERS = 200;

export async function feed(ctx: BenchContext): Promise<Outcome> {
  const rng = new Rng(`feed:${ctx.run}`);
  const gym = await seedGym(ctx.db, rng, `feed-${ctx.run}`, MEMBERS);
  const [viewer, ...others] = gym.members as [string, ...string[]];
  const blockers = others.slice(0, 3);
  const blockedByViewer = others.slice(3, 5);
  const followed = others.slice(5, 25);
  const t0 = Date.now();
  ctx.log(`feed: seeding ${EVENTS.toLocaleString("en")} events`);
  // Every 20th private, every 7th for followers, every 10th public, the rest for the gym; one event every 13 s back in time.
  await ctx.db.query(
    `insert into feed_event (id, gym_id, actor_id, kind, visibility, payload, at, dedupe_key, created_at)
     select gen_random_uuid(), $1, ($2::uuid[])[1 + (i % $3)],
            (array['workout_logged','pr','checkin_milestone','challenge_joined','challenge_completed','streak_milestone'])[1 + (i % 6)],
            case when i % 20 = 0 then 'private' when i % 7 = 0 then 'followers' when i % 10 = 0 then 'public' else 'gym' end,
            jsonb_build_object('title', 'Workout ' || i, 'i', i), now() - i * interval '13 seconds', null, now()
     from generate_series(1, $4) i`,
    [gym.gymId, gym.members, MEMBERS, EVENTS],
  );
  const now = new Date();
  const follows: unknown[][] = followed.map((f) => [rng.uuid(), viewer, f, now]);
  for (const m of others) for (let k = 0; k < 10; k++) follows.push([rng.uuid(), m, gym.members[(rng.int(MEMBERS) + 1) % MEMBERS], now]);
  const unique = [...new Map(follows.filter((f) => f[1] !== f[2]).map((f) => [`${f[1]}>${f[2]}`, f])).values()];
  await insertRows(ctx.db, "feed_follow", ["id", "follower_id", "followee_id", "created_at"], unique);
  await insertRows(
    ctx.db,
    "feed_block",
    ["id", "blocker_id", "blocked_id", "created_at"],
    [...blockers.map((b) => [rng.uuid(), b, viewer, now]), ...blockedByViewer.map((b) => [rng.uuid(), viewer, b, now])],
  );
  await ctx.db.query(
    `insert into feed_reaction (id, event_id, user_id, kind, at)
     select gen_random_uuid(), e.id, ($2::uuid[])[1 + ((abs(hashtext(e.id::text)) + k) % $3)], (array['kudos','fire','strong'])[1 + k % 3], now()
     from (select id from feed_event where gym_id = $1 order by at desc limit 3000) e cross join generate_series(0, 4) k
     on conflict do nothing`,
    [gym.gymId, gym.members, MEMBERS],
  );
  await ctx.db.query(
    `insert into feed_comment (id, gym_id, event_id, author_id, body, at)
     select gen_random_uuid(), $1, e.id, ($2::uuid[])[1 + ((abs(hashtext(e.id::text)) + k) % $3)], 'Nice one ' || k, now()
     from (select id from feed_event where gym_id = $1 order by at desc limit 1000) e cross join generate_series(0, 2) k`,
    [gym.gymId, gym.members, MEMBERS],
  );
  await ctx.db.query("analyze");
  ctx.log(`feed: seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const hidden = new Set([...blockers, ...blockedByViewer]);
  const checks: Check[] = [];
  const scenario = "7 feed";
  const server = await startSystem(ctx, "spotter");
  const socket = await connect(server.url, ctx.secret, viewer);
  const room = `gym:${gym.gymId}`;
  const page = async (cursor: string | null) => {
    const started = performance.now();
    const a = await ask(socket, "command", command(randomUUID(), room, "feed:page", cursor ? { cursor } : {}));
    const ms = performance.now() - started;
    if (!a.ok) throw new Error(`feed:page refused: ${JSON.stringify(a.error)}`);
    return { ms, page: a.result as FeedPage };
  };
  const problems: string[] = [];
  const inspect = (p: FeedPage, seen: Set<string>) => {
    if (p.cards.length !== 50) problems.push(`page of ${p.cards.length}`);
    for (const [i, c] of p.cards.entries()) {
      if (seen.has(c.id)) problems.push(`card ${c.id} twice`);
      seen.add(c.id);
      if (hidden.has(c.actor.id)) problems.push(`card of a blocked pair ${c.id}`);
      if (c.actor.id !== viewer && c.visibility !== null) problems.push(`visibility shown to another viewer ${c.id}`);
      if (i > 0 && p.cards[i - 1]!.at < c.at) problems.push("not newest first");
    }
  };
  const newest: number[] = [];
  const deep: number[] = [];
  const positions: (FeedPosition | null)[] = [null];
  try {
    for (let i = 0; i < 20; i++) await page(null); // warm-up: JIT, connection pool, plan cache
    const walks = ctx.quick ? 5 : 15;
    for (let w = 0; w < walks; w++) {
      const seen = new Set<string>();
      let cursor: string | null = null;
      for (let depth = 0; depth < 20; depth++) {
        const r = await page(cursor);
        (depth === 0 ? newest : deep).push(r.ms);
        inspect(r.page, seen);
        cursor = r.page.nextCursor;
        if (!cursor) break;
        if (w === 0) positions.push(decodeCursor(cursor));
      }
    }
    const extra = ctx.quick ? 50 : 200;
    for (let i = 0; i < extra; i++) newest.push((await page(null)).ms);
  } finally {
    closeAll([socket]);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(50|60)/.test(exit.stderr))
      ctx.log(`feed: ${server.name} exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
  }
  // The statement alone, as PostgreSQL runs it (no protocol, no client): execution time and the index it uses.
  const execution: number[] = [];
  let plan = "";
  for (let i = 0; i < (ctx.quick ? 40 : 100); i++) {
    const q = feedPageQuery(gym.gymId, viewer, positions[i % positions.length]!);
    let n = 0;
    const text = q.sql.replace(/\?/g, () => `$${++n}`);
    const { rows } = await ctx.db.query<{ "QUERY PLAN": [{ "Execution Time": number; Plan: unknown }] }>(
      `explain (analyze, format json) ${text}`,
      q.params,
    );
    execution.push(rows[0]!["QUERY PLAN"][0]["Execution Time"]);
    if (i === 0) plan = JSON.stringify(rows[0]!["QUERY PLAN"][0].Plan);
  }
  checks.push({
    scenario,
    name: "the page statement scans feed_event_page_index backward",
    ok: plan.includes("feed_event_page_index") && plan.includes("Backward"),
    detail: plan.includes("feed_event_page_index") ? "index scan" : plan.slice(0, 200),
  });
  checks.push({
    scenario,
    name: "pages of 50 newest first; no card twice; nothing of blocked pairs or others' private events",
    ok: problems.length === 0,
    detail: problems.length ? problems.slice(0, 5).join("; ") : `${newest.length + deep.length} pages`,
  });
  const base = await baselineWalk(ctx, gym.gymId, viewer, hidden);
  checks.push({
    scenario,
    name: "baseline: pages of 50, nothing of blocked pairs",
    ok: base.problems.length === 0,
    detail: base.problems.slice(0, 3).join("; ") || `${base.newest.length + base.deep.length} pages`,
  });
  const all = summary([...newest, ...deep]);
  const top = summary(newest);
  const rest = summary(deep);
  const pct95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
  const against =
    "the row-lock server's feed:page the ordinary way: LIMIT/OFFSET over the same rules, then reaction and comment counts (2 more statements); same walk, same data";
  return {
    figures: [
      {
        scenario,
        metric: `page of 50, p50 (${all.n} pages)`,
        value: all.p50,
        unit: "ms",
        baseline: summary([...base.newest, ...base.deep]).p50,
        against,
      },
      {
        scenario,
        metric: `page of 50, p95 (${all.n} pages)`,
        value: pct95([...newest, ...deep]),
        unit: "ms",
        baseline: pct95([...base.newest, ...base.deep]),
        against,
        target: { op: "<", value: 25, on: "value" },
      },
      { scenario, metric: `newest page p95 (${top.n})`, value: pct95(newest), unit: "ms", baseline: pct95(base.newest), against },
      {
        scenario,
        metric: `pages 2–20 via cursor p95 (${rest.n}; baseline: OFFSET)`,
        value: pct95(deep),
        unit: "ms",
        baseline: pct95(base.deep),
        against,
      },
      {
        scenario,
        metric: `statement execution in PostgreSQL p95 (${execution.length}, EXPLAIN ANALYZE)`,
        value: pct95(execution),
        unit: "ms",
        baseline: null,
        against,
      },
    ],
    checks,
  };
}

/** The same walk against the row-lock server's OFFSET pages: 20 warm-up pages, walks 20 pages deep, more newest pages. */
async function baselineWalk(ctx: BenchContext, gymId: string, viewer: string, hidden: Set<string>) {
  const server = await startSystem(ctx, "baseline");
  const socket = await connect(server.url, ctx.secret, viewer);
  const room = `gym:${gymId}`;
  const newest: number[] = [];
  const deep: number[] = [];
  const problems: string[] = [];
  const page = async (offset: number) => {
    const started = performance.now();
    const a = await ask(socket, "command", command(randomUUID(), room, "feed:page", { offset }));
    const ms = performance.now() - started;
    if (!a.ok) throw new Error(`baseline feed:page refused: ${JSON.stringify(a.error)}`);
    const cards = (a.result as { cards: { actor: { id: string } }[] }).cards;
    if (cards.length !== 50) problems.push(`page of ${cards.length}`);
    if (cards.some((c) => hidden.has(c.actor.id))) problems.push("card of a blocked pair");
    return ms;
  };
  try {
    for (let i = 0; i < 20; i++) await page(0);
    for (let w = 0; w < (ctx.quick ? 5 : 15); w++)
      for (let depth = 0; depth < 20; depth++) (depth === 0 ? newest : deep).push(await page(depth * 50));
    for (let i = 0; i < (ctx.quick ? 50 : 200); i++) newest.push(await page(0));
  } finally {
    closeAll([socket]);
    await server.stop();
  }
  return { newest, deep, problems };
}
