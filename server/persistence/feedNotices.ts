/**
 * The feed's requests that tell someone (issue 20), each in one transaction with its notices: a reaction or a comment
 * tells the post's author (`social`, in the app only unless they chose more), a report tells the gym's owners and
 * admins (`report`; never the reported staff member), and closing a report tells the reporter (`moderation`).
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { FeedStore } from "../../app/feed/ports.js";
import type { NoticeDraft, NoticeSender, NoticeTransaction } from "../../app/notices/ports.js";
import { DomainError } from "../../domain/errors.js";
import { AdminRoles } from "../../domain/roles.js";
import { firstName } from "../../domain/views/people.js";
import { report, resolveModerationItem } from "./feedModeration.js";
import { sql } from "./feedRelations.js";
import { addComment, toggleReaction } from "./feedSocialStore.js";
import { staffOf, transactionWithNotices } from "./noticeJoin.js";

const DAY = 86_400_000;
const ReactionWords = { kudos: "gave kudos to", fire: "sent 🔥 on", strong: "sent 💪 on" } as const;

/** Tells the post's author (not the viewer themself); the same words at most once a day (toggling is free, notices are not). */
async function tellAuthor(
  tx: EntityManager,
  notices: NoticeSender,
  within: NoticeTransaction,
  gymId: string,
  eventId: string,
  viewerId: string,
  words: (name: string) => string,
  now: number,
) {
  const [row] = await sql<{ actor_id: string; name: string }>(
    tx,
    `select e.actor_id, u.name from feed_event e join app_user u on u.id = ? where e.id = ?`,
    [viewerId, eventId],
  );
  if (!row || row.actor_id === viewerId) return;
  const text = words(firstName(row.name) || "Someone").slice(0, 500);
  const [seen] = await sql(tx, `select 1 from notice where user_id = ? and kind = 'social' and text = ? and at > ? limit 1`, [
    row.actor_id,
    text,
    new Date(now - DAY),
  ]);
  if (seen) return;
  await notices.notify([row.actor_id], { kind: "social", text, gymId }, within);
}

export function feedNotices(
  orm: MikroORM,
  notices: NoticeSender,
): Pick<FeedStore, "react" | "comment" | "report" | "resolveModerationItem"> {
  const run = <T>(work: (tx: EntityManager, within: NoticeTransaction) => Promise<T>) => transactionWithNotices(orm.em.fork(), work);
  const bound = (within: NoticeTransaction) => (ids: readonly string[], draft: NoticeDraft) => notices.notify(ids, draft, within);
  return {
    react: (gymId, viewerId, eventId, kind, now) =>
      run(async (tx, within) => {
        const r = await toggleReaction(tx, gymId, viewerId, eventId, kind, now);
        if (!(r instanceof DomainError) && r.reacted)
          await tellAuthor(tx, notices, within, gymId, eventId, viewerId, (n) => `${n} ${ReactionWords[kind]} your post`, now);
        return r;
      }),
    comment: (gymId, viewerId, eventId, body, now) =>
      run(async (tx, within) => {
        const r = await addComment(tx, gymId, viewerId, eventId, body, now);
        if (!(r instanceof DomainError))
          await tellAuthor(
            tx,
            notices,
            within,
            gymId,
            eventId,
            viewerId,
            (n) => `${n} commented on your post: “${body.slice(0, 120)}”`,
            now,
          );
        return r;
      }),
    report: (gymId, viewerId, target, id, reason, now) =>
      run(async (tx, within) => {
        const [before] = await sql(tx, `select 1 from moderation_item where reporter_id = ? and target_type = ? and target_id = ?`, [
          viewerId,
          target,
          id,
        ]);
        const r = await report(tx, gymId, viewerId, target, id, reason, now);
        if (r instanceof DomainError || before) return r;
        const [item] = await sql<{ author_id: string }>(tx, `select author_id from moderation_item where id = ?`, [r.reportId]);
        const staff = await staffOf(tx, gymId, AdminRoles, [item!.author_id, viewerId]);
        const what = target === "event" ? "post" : "comment";
        await notices.notify(
          staff,
          { kind: "report", text: `A ${what} was reported: “${reason.slice(0, 200)}” — review it under Reports.`, gymId },
          within,
        );
        return r;
      }),
    resolveModerationItem: (gymId, itemId, by) => run((tx, within) => resolveModerationItem(tx, gymId, itemId, by, bound(within))),
  };
}
