import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { NoticeDraft } from "../../app/notices/ports.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import type { ReportTarget } from "../../domain/feed/social.js";
import { DomainError } from "../../domain/errors.js";
import { visibleEvent } from "./feedCards.js";
import { relationsOf, sql } from "./feedRelations.js";

/** Sends notices inside the caller's transaction (a `NoticeSender.notify` bound to it). */
export type NoticeWrite = (userIds: readonly string[], draft: NoticeDraft) => Promise<unknown>;

/** Records a report as an open moderation item with a copy of the reported content (reporting again answers the first). */
export async function report(
  em: EntityManager,
  gymId: string,
  viewerId: string,
  target: ReportTarget,
  id: string,
  reason: string,
  now: number,
) {
  const rel = await relationsOf(em, viewerId);
  let authorId: string;
  let excerpt: string;
  if (target === "event") {
    const event = await visibleEvent(em, gymId, viewerId, rel, id);
    if (!event) return new DomainError("NOT_FOUND");
    authorId = event.actor_id;
    excerpt = `${event.kind}: ${typeof event.payload === "string" ? event.payload : JSON.stringify(event.payload)}`;
  } else {
    const [comment] = await sql<{ event_id: string; author_id: string; body: string }>(
      em,
      `select event_id, author_id, body from feed_comment where id = ? and gym_id = ?`,
      [id, gymId],
    );
    if (!comment || rel.blocked.has(comment.author_id) || !(await visibleEvent(em, gymId, viewerId, rel, comment.event_id)))
      return new DomainError("NOT_FOUND");
    authorId = comment.author_id;
    excerpt = comment.body;
  }
  if (authorId === viewerId)
    return new DomainError("VALIDATION_FAILED", "You can't report your own post — delete it instead.", { fields: { id: "Your own" } });
  await sql(
    em,
    `insert into moderation_item (id, gym_id, reporter_id, target_type, target_id, author_id, excerpt, reason, status, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) on conflict (reporter_id, target_type, target_id) do nothing`,
    [randomUUID(), gymId, viewerId, target, id, authorId, excerpt.slice(0, 500), reason, new Date(now)],
  );
  const [item] = await sql<{ id: string; created_at: Date | string }>(
    em,
    `select id, created_at from moderation_item where reporter_id = ? and target_type = ? and target_id = ?`,
    [viewerId, target, id],
  );
  return { reportId: item!.id, reportedAt: new Date(item!.created_at).getTime() };
}

/**
 * Staff: the gym's open moderation items, newest first — except reports about the viewer's own posts and comments
 * (a reported coach or front desk never learns who reported them; other staff handle those).
 */
export async function openModerationItems(em: EntityManager, gymId: string, viewerId: string) {
  const rows = await sql<{
    id: string;
    target_type: ReportTarget;
    target_id: string;
    author_id: string;
    author_name: string;
    reporter_id: string;
    reporter_name: string;
    excerpt: string;
    reason: string;
    created_at: Date | string;
  }>(
    em,
    `select m.id, m.target_type, m.target_id, m.author_id, a.name as author_name, m.reporter_id, r.name as reporter_name, m.excerpt, m.reason, m.created_at
     from moderation_item m join app_user a on a.id = m.author_id join app_user r on r.id = m.reporter_id
     where m.gym_id = ? and m.status = 'open' and m.author_id <> ? order by m.created_at desc, m.id desc limit 100`,
    [gymId, viewerId],
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      target: r.target_type,
      targetId: r.target_id,
      author: { id: r.author_id, name: r.author_name },
      reporter: { id: r.reporter_id, name: r.reporter_name },
      excerpt: r.excerpt,
      reason: r.reason,
      reportedAt: new Date(r.created_at).getTime(),
    })),
  };
}

/**
 * Owners and admins close a moderation item of their gym; the staff action is audited, and the member who reported it
 * hears the outcome (a `moderation` notice), in the same transaction (`tx` a transactional fork).
 */
export async function resolveModerationItem(
  tx: EntityManager,
  gymId: string,
  itemId: string,
  by: { actorId: string; commandId: string | null; at: number },
  notices?: NoticeWrite,
) {
  const [row] = await sql<{ status: string; reporter_id: string; target_type: string }>(
    tx,
    `update moderation_item m set status = 'resolved' from moderation_item old where m.id = old.id and m.id = ? and m.gym_id = ? returning old.status, old.reporter_id, old.target_type`,
    [itemId, gymId],
  );
  if (!row) return new DomainError("NOT_FOUND");
  await auditStaffWrite(tx, {
    gymId,
    actorId: by.actorId,
    action: "gym:resolveModerationItem",
    entityType: "moderation_item",
    entityId: itemId,
    before: { status: row.status },
    after: { status: "resolved" },
    commandId: by.commandId,
    at: by.at,
  });
  const what = row.target_type === "event" ? "post" : "comment";
  if (row.status === "open")
    await notices?.([row.reporter_id], {
      kind: "moderation",
      text: `Staff reviewed the ${what} you reported. Thank you for keeping the feed kind.`,
      gymId,
    });
  return { itemId, status: "resolved" as const };
}
