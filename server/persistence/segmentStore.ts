/** The segment use cases' store (`app/segments/ports.ts`) over PostgreSQL, in the staff requests' audited transaction. */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { NoticeTransaction } from "../../app/notices/ports.js";
import type { SegmentMember, SegmentStore, SegmentTx } from "../../app/segments/ports.js";
import { GymEntity, MembershipPlanEntity, SegmentEntity } from "../db/entities/index.js";
import { auditedTransaction } from "./auditedTransaction.js";
import { joinNotices } from "./noticeJoin.js";
import { segmentFrom } from "./segmentQuery.js";

type MemberRow = {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  status: string;
  plan: string | null;
  last_visit: Date | string | null;
};

function segmentTx(tx: EntityManager, audits: AdminAudit[], notices: NoticeTransaction = joinNotices(tx, [])): SegmentTx {
  const all = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
    (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T[];
  return {
    async gym(gymId) {
      const g = await tx.findOne(GymEntity, { id: gymId });
      return g ? { timeZone: g.timeZone } : null;
    },
    segments: async (gymId) => (await tx.find(SegmentEntity, { gymId })).map((s) => ({ ...s })),
    async segment(gymId, segmentId) {
      const s = await tx.findOne(SegmentEntity, { id: segmentId, gymId });
      return s ? { ...s } : null;
    },
    async saveSegment(s) {
      await tx.upsert(SegmentEntity, s);
    },
    deleteSegment: async (gymId, segmentId) => (await tx.nativeDelete(SegmentEntity, { id: segmentId, gymId })) > 0,
    planNames: async (gymId) => new Map((await tx.find(MembershipPlanEntity, { gymId })).map((p): [string, string] => [p.id, p.name])),
    async count(gymId, filter, now, timeZone) {
      const { sql, params } = segmentFrom(gymId, filter, now, timeZone);
      const [row] = await all<{ n: number | string }>(`select count(*) as n ${sql}`, params);
      return Number(row?.n ?? 0);
    },
    async members(gymId, filter, now, timeZone, limit): Promise<SegmentMember[]> {
      const { sql, params } = segmentFrom(gymId, filter, now, timeZone);
      const rows = await all<MemberRow>(
        `select u.id, u.name, u.email, u.phone, m.status, p.name as plan,
                (select max(a.at) from attendance_event a where a.gym_id = m.gym_id and a.member_id = m.user_id) as last_visit
         ${sql} order by u.name, u.id limit ?`,
        [...params, limit],
      );
      return rows.map((r) => ({
        memberId: r.id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        status: r.status,
        plan: r.plan,
        lastVisitAt: r.last_visit === null ? null : new Date(r.last_visit).getTime(),
      }));
    },
    async retag(gymId, filter, now, timeZone, tag, add) {
      const { sql, params } = segmentFrom(gymId, filter, now, timeZone);
      const change = add
        ? `tags = coalesce(g.tags, '[]'::jsonb) || jsonb_build_array(?::text) where g.id in (select m.id ${sql}) and not jsonb_exists(coalesce(g.tags, '[]'::jsonb), ?)`
        : `tags = coalesce((select jsonb_agg(t.tag) from jsonb_array_elements_text(g.tags) t(tag) where t.tag <> ?), '[]'::jsonb) where g.id in (select m.id ${sql}) and jsonb_exists(coalesce(g.tags, '[]'::jsonb), ?)`;
      const rows = await all<{ id: string }>(`update gym_membership g set ${change} returning g.id`, [tag, ...params, tag]);
      return rows.length;
    },
    async memberIds(gymId, filter, now, timeZone, limit) {
      const { sql, params } = segmentFrom(gymId, filter, now, timeZone);
      return (await all<{ id: string }>(`select m.user_id as id ${sql} order by m.user_id limit ?`, [...params, limit])).map((r) => r.id);
    },
    async bulkMessagesSince(gymId, since) {
      await all(`select pg_advisory_xact_lock(hashtext(?))`, [`segment-message:${gymId}`]);
      const [row] = await all<{ n: number | string }>(
        `select count(*) as n from audit_log where gym_id = ? and action = 'gym:segmentMessage' and at >= ?`,
        [gymId, new Date(since)],
      );
      return Number(row?.n ?? 0);
    },
    notices,
    audit: (a) => void audits.push(a),
  };
}

export function segmentStore(orm: Pick<MikroORM, "em">): SegmentStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(segmentTx(tx, []))),
    transaction: (actor, type, work) => auditedTransaction(orm, actor, type, segmentTx, work),
  };
}
