/**
 * The demo gym's social feed on top of what training left (workout and PR events, challenge joins): check-in
 * and streak milestones (events the system makes, stored as check-ins would), then members using the feed through
 * its own use cases (`app/feed`): follows around the demo member, a blocked pair, reactions and comments on the newest
 * cards, one open report for the staff. Seeding twice adds nothing.
 */
import type { MikroORM } from "@mikro-orm/core";
import { block, comment, follow as followMember, react, report, setDefaultVisibility } from "../../app/feed/feedRequests.js";
import { DomainError } from "../../domain/errors.js";
import type { NewFeedEvent } from "../../domain/feed/events.js";
import { ReactionKinds } from "../../domain/feed/social.js";
import { FeedEventEntity } from "../db/entities/index.js";
import { feedRequestStore } from "../persistence/feedRequestStore.js";
import { appendFeedEvents } from "../persistence/feedStore.js";
import { pastNotices } from "./demoPorts.js";
import { mulberry32 } from "./prng.js";

const HOUR = 3_600_000;
const COMMENTS = ["Beast mode 💪", "Congrats!", "See you at 7 tomorrow?", "That squat though", "Well earned", "Inspiring — keep going"];

export interface FeedSummary {
  events: number;
  follows: number;
  reactions: number;
  comments: number;
}

/** `members`: active members, the demo member first. */
export async function seedFeed(orm: MikroORM, gymId: string, members: readonly string[], now: number): Promise<FeedSummary> {
  const em = orm.em.fork();
  const rand = mulberry32(77);
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
  // Seeding again adds nothing: the milestones are stored once (dedupe keys), and the rest follows them.
  const seeded = await em.count(FeedEventEntity, { gymId, dedupeKey: "demo:checkins:me" });
  await appendFeedEvents(em, milestones);
  if (seeded > 0) return { events: 0, follows: 0, reactions: 0, comments: 0 };
  const store = feedRequestStore(orm, pastNotices);
  const as = <P>(userId: string, at: number, payload: P) => ({
    p: { store, readAudit: { record: async () => undefined }, now: () => at },
    c: { userId, gymId, role: "member", payload, commandId: null, live: undefined },
  });
  const made = async (what: string, outcome: Promise<object | DomainError>) => {
    const r = await outcome;
    if (r instanceof DomainError) throw new Error(`demo ${what} refused: ${r.message}`);
  };
  const followAt = now - 10 * 24 * HOUR;
  const follow = (a: string, b: string) => {
    const { p, c } = as(a, followAt, { memberId: b, follow: true });
    return made("follow", followMember(p, c));
  };
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
    const blocked = as(members[20]!, now - 5 * 24 * HOUR, { memberId: members[21]!, block: true });
    await made("block", block(blocked.p, blocked.c));
    const quiet = as(members[5]!, now - 30 * 24 * HOUR, { visibility: "followers" as const });
    await setDefaultVisibility(quiet.p, { ...quiet.c, sessionId: null });
  }
  const newest = (
    await em
      .fork()
      .find(
        FeedEventEntity,
        { gymId, visibility: { $in: ["gym", "public"] } },
        { orderBy: [{ at: "desc" }, { id: "desc" }], limit: 30, fields: ["id", "actorId", "at"] },
      )
  ).map((e) => ({ id: e.id, actor_id: e.actorId, at: e.at }));
  let reactions = 0;
  let comments = 0;
  // A reaction is a toggle: the same member's same reaction drawn twice stays one.
  const reacted = new Set<string>();
  for (const [i, e] of newest.entries()) {
    const at = e.at;
    for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) {
      const who = members[Math.floor(rand() * Math.min(members.length, 40))]!;
      if (who === e.actor_id) continue;
      const kind = ReactionKinds[Math.floor(rand() * ReactionKinds.length)]!;
      if (reacted.has(`${e.id}:${who}:${kind}`)) continue;
      reacted.add(`${e.id}:${who}:${kind}`);
      const r = as(who, at + (k + 1) * 60_000, { eventId: e.id, kind });
      await made("reaction", react(r.p, r.c));
      reactions++;
    }
    if (i < 8) {
      const who = members[(i * 7 + 3) % Math.min(members.length, 40)]!;
      if (who === e.actor_id) continue;
      const r = as(who, at + 15 * 60_000, { eventId: e.id, body: COMMENTS[i % COMMENTS.length]! });
      await made("comment", comment(r.p, r.c));
      comments++;
    }
  }
  const reported = newest[3];
  if (reported && members.length > 30) {
    const r = as(members[30]!, now - HOUR, { target: "event" as const, id: reported.id, reason: "Looks like a typo in the weights" });
    await made("report", report(r.p, r.c));
  }
  return { events: milestones.length, follows, reactions, comments };
}
