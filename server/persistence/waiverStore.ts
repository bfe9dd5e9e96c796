/**
 * The waiver part of the admin store (`app/admin/ports.ts` AdminTx): published versions and members' signatures,
 * insert-only tables (the database refuses to change or delete a row, see the migration).
 */
import type { EntityManager } from "@mikro-orm/core";
import type { AdminTx } from "../../app/admin/ports.js";
import type { WaiverDocument, WaiverSignature } from "../../domain/admin/waivers.js";
import type { MembershipStatus, WaiverEnforcement } from "../../domain/model.js";

type WaiverTx = Pick<
  AdminTx,
  | "waiverDocuments"
  | "addWaiverDocument"
  | "waiverSignatures"
  | "addWaiverSignature"
  | "unsignedMembers"
  | "waiverRemindedSince"
  | "markWaiverReminded"
>;

const ms = (v: Date | string): number => (v instanceof Date ? v.getTime() : Date.parse(v));

type DocumentRow = {
  id: string;
  gym_id: string;
  document: string;
  version: string;
  required: WaiverEnforcement | null;
  title: string;
  text: string;
  text_hash: string;
  effective_on: string;
  effective_at: Date | string;
  published_by: string;
  published_at: Date | string;
};
type SignatureRow = {
  id: string;
  gym_id: string;
  document_id: string;
  member_id: string;
  version: string;
  text_hash: string;
  typed_name: string;
  signed_at: Date | string;
  ip: string;
  user_agent: string;
};

const documentOf = (r: DocumentRow): WaiverDocument => ({
  id: r.id,
  gymId: r.gym_id,
  document: r.document,
  version: r.version,
  ...(r.required ? { required: r.required } : {}),
  title: r.title,
  text: r.text,
  textHash: r.text_hash,
  effectiveOn: r.effective_on,
  effectiveAt: ms(r.effective_at),
  publishedBy: r.published_by,
  publishedAt: ms(r.published_at),
});
const signatureOf = (r: SignatureRow): WaiverSignature => ({
  id: r.id,
  gymId: r.gym_id,
  documentId: r.document_id,
  memberId: r.member_id,
  version: r.version,
  textHash: r.text_hash,
  typedName: r.typed_name,
  signedAt: ms(r.signed_at),
  ip: r.ip,
  userAgent: r.user_agent,
});

export function waiverTx(tx: EntityManager): WaiverTx {
  const run = <T extends Record<string, unknown>[] = Record<string, unknown>[]>(sql: string, params: unknown[]) =>
    tx.getConnection().execute<T>(sql, params, "all", tx.getTransactionContext());
  return {
    async waiverDocuments(gymId) {
      const rows = await run<DocumentRow[]>(
        `select * from waiver_document where gym_id = ? order by effective_at desc, published_at desc limit 100`,
        [gymId],
      );
      return rows.map(documentOf);
    },
    async addWaiverDocument(d) {
      await run(
        `insert into waiver_document (id, gym_id, document, version, required, title, text, text_hash, effective_on, effective_at, published_by, published_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          d.id,
          d.gymId,
          d.document,
          d.version,
          d.required ?? null,
          d.title,
          d.text,
          d.textHash,
          d.effectiveOn,
          new Date(d.effectiveAt),
          d.publishedBy,
          new Date(d.publishedAt),
        ],
      );
    },
    async waiverSignatures(gymId, memberId) {
      const rows = await run<SignatureRow[]>(
        `select * from waiver_signature where gym_id = ? and member_id = ? order by signed_at desc limit 100`,
        [gymId, memberId],
      );
      return rows.map(signatureOf);
    },
    async addWaiverSignature(s) {
      const rows = await run<{ id: string }[]>(
        `insert into waiver_signature (id, gym_id, document_id, member_id, version, text_hash, typed_name, signed_at, ip, user_agent)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (document_id, member_id) do nothing returning id`,
        [
          s.id,
          s.gymId,
          s.documentId,
          s.memberId,
          s.version,
          s.textHash,
          s.typedName,
          new Date(s.signedAt),
          s.ip.slice(0, 64),
          s.userAgent.slice(0, 400),
        ],
      );
      return rows.length > 0;
    },
    async waiverRemindedSince(documentId, memberIds, since) {
      if (memberIds.length === 0) return [];
      const marks = memberIds.map(() => "?").join(", ");
      const rows = await run<{ member_id: string }[]>(
        `select member_id from waiver_reminder where document_id = ? and member_id in (${marks}) and reminded_at >= ?`,
        [documentId, ...memberIds, new Date(since)],
      );
      return rows.map((r: { member_id: string }) => r.member_id);
    },
    async markWaiverReminded(gymId, documentId, memberIds, at) {
      if (memberIds.length === 0) return;
      const rows = memberIds.map(() => "(?, ?, ?, ?)").join(", ");
      await run(
        `insert into waiver_reminder (gym_id, document_id, member_id, reminded_at) values ${rows}
         on conflict (document_id, member_id) do update set reminded_at = excluded.reminded_at`,
        memberIds.flatMap((m) => [gymId, documentId, m, new Date(at)]),
      );
    },
    async unsignedMembers(gymId, documentId, limit, only) {
      if (only && only.length === 0) return { total: 0, members: [] };
      const among = only ? `and m.user_id in (${only.map(() => "?").join(", ")})` : "";
      const rows = await run<{ user_id: string; name: string; email: string; status: MembershipStatus; total: string | number }[]>(
        `select m.user_id, u.name, u.email, m.status, count(*) over () as total
           from gym_membership m join app_user u on u.id = m.user_id
          where m.gym_id = ? and m.role = 'member' and m.status <> 'cancelled'
            and not exists (select 1 from waiver_signature w where w.document_id = ? and w.member_id = m.user_id) ${among}
          order by u.name, m.user_id limit ?`,
        [gymId, documentId, ...(only ?? []), limit],
      );
      return {
        total: Number(rows[0]?.total ?? 0),
        members: rows.map((r: { user_id: string; name: string; email: string; status: MembershipStatus }) => ({
          memberId: r.user_id,
          name: r.name,
          email: r.email,
          status: r.status,
        })),
      };
    },
  };
}
