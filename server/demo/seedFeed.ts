/**
 * The demo gym's social feed on top of what training left (workout and PR events, challenge joins): check-in
 * and streak milestones, follows around the demo member, a blocked pair, reactions and comments on the newest
 * cards, one open report for the staff. Deterministic ids and dedupe keys: seeding twice adds nothing.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { NewFeedEvent } from "../../domain/feed/events.js";
import { ReactionKinds } from "../../domain/feed/social.js";
import { appendFeedEvents } from "../persistence/feedStore.js";
import { mulberry32 } from "./prng.js";
import { demoId } from "./demoIds.js";

const HOUR = 3_600_000;
const COMMENTS = ["Beast mode 💪", "Congrats!", "See you at 7 tomorrow?", "That squat though", "Well earned", "Inspiring — keep going"];

export interface FeedSummary {
  events: number;
  follows: number;
  reactions: number;
  comments: number;
}

/** `members`: active members, the demo member first. */
export async function seedFeed(em: EntityManager, gymId: string, members: readonly string[], now: number): Promise<FeedSummary> {
  const rand = mulberry32(77);
  const run = (sql: string, params: unknown[]) => em.getConnection().execute(sql, params);
  const milestones: NewFeedEvent[] = [
    ...[10, 50, 100, 10, 50, 10].map((count, i): NewFeedEvent => ({
      gymId,
      actorId: members[1 + i * 3]!,
      kind: "checkin_milestone",
      visibility: "gym",
      payload: { count },
      at: now - (2 + i * 5) * HOUR,
      dedupeKey: `demo:checkins:${i}`,
    })),
    ...[7, 14, 30].map((days, i): NewFeedEvent => ({
      gymId,
      actorId: members[2 + i * 4]!,
      kind: "streak_milestone",
      visibility: i === 2 ? "followers" : "gym",
      payload: { days },
      at: now - (3 + i * 7) * HOUR,
      dedupeKey: `demo:streak:${i}`,
    })),
    {
      gymId,
      actorId: members[0]!,
      kind: "checkin_milestone",
      visibility: "public",
      payload: { count: 50 },
      at: now - HOUR,
      dedupeKey: "demo:checkins:me",
    },
  ];
  await appendFeedEvents(em, milestones);
  const follow = (a: string, b: string) =>
    run(`insert into feed_follow (id, follower_id, followee_id, created_at) values (?, ?, ?, ?) on conflict do nothing`, [
      demoId(`follow:${a}:${b}`),
      a,
      b,
      new Date(now - 10 * 24 * HOUR),
    ]);
  let follows = 0;
  for (const m of members.slice(1, 11)) {
    await follow(members[0]!, m);
    follows++;
  }
  for (const m of members.slice(1, 16)) {
    await follow(m, members[0]!);
    follows++;
  }
  if (members.length > 22) {
    await run(`insert into feed_block (id, blocker_id, blocked_id, created_at) values (?, ?, ?, ?) on conflict do nothing`, [
      demoId("block:20:21"),
      members[20],
      members[21],
      new Date(now - 5 * 24 * HOUR),
    ]);
    await run(`insert into feed_setting (user_id, default_visibility, updated_at) values (?, 'followers', ?) on conflict do nothing`, [
      members[5],
      new Date(now - 30 * 24 * HOUR),
    ]);
  }
  const newest = (await run(
    `select id, actor_id, at from feed_event where gym_id = ? and visibility in ('gym', 'public') order by at desc, id desc limit 30`,
    [gymId],
  )) as {
    id: string;
    actor_id: string;
    at: Date | string;
  }[];
  let reactions = 0;
  let comments = 0;
  for (const [i, e] of newest.entries()) {
    const at = new Date(e.at).getTime();
    for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) {
      const who = members[Math.floor(rand() * Math.min(members.length, 40))]!;
      if (who === e.actor_id) continue;
      const kind = ReactionKinds[Math.floor(rand() * ReactionKinds.length)]!;
      await run(`insert into feed_reaction (id, event_id, user_id, kind, at) values (?, ?, ?, ?, ?) on conflict do nothing`, [
        demoId(`reaction:${e.id}:${who}:${kind}`),
        e.id,
        who,
        kind,
        new Date(at + (k + 1) * 60_000),
      ]);
      reactions++;
    }
    if (i < 8) {
      const who = members[(i * 7 + 3) % Math.min(members.length, 40)]!;
      if (who === e.actor_id) continue;
      await run(`insert into feed_comment (id, gym_id, event_id, author_id, body, at) values (?, ?, ?, ?, ?, ?) on conflict do nothing`, [
        demoId(`comment:${e.id}`),
        gymId,
        e.id,
        who,
        COMMENTS[i % COMMENTS.length],
        new Date(at + 15 * 60_000),
      ]);
      comments++;
    }
  }
  const reported = newest[3];
  if (reported && members.length > 30) {
    await run(
      `insert into moderation_item (id, gym_id, reporter_id, target_type, target_id, author_id, excerpt, reason, status, created_at)
       values (?, ?, ?, 'event', ?, ?, 'workout_logged', 'Looks like a typo in the weights', 'open', ?) on conflict do nothing`,
      [demoId("report:1"), gymId, members[30], reported.id, reported.actor_id, new Date(now - HOUR)],
    );
  }
  return { events: milestones.length, follows, reactions, comments };
}
