/**
 * Member photos (issue 18, the desk): one per member per gym, replaced on upload. The upload route checks size and
 * type before it gets here; the table checks both again.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { MemberPhotos, StoredPhoto } from "../../app/admin/memberPhotos.js";
import { auditStaffWrite } from "../audit/staffAudit.js";

export function memberPhotoStore(orm: MikroORM): MemberPhotos {
  return {
    /** Stores (or replaces) the photo; a staff upload is audited in the same transaction. */
    save: (p) =>
      orm.em.fork().transactional(async (tx) => {
        await tx.getConnection().execute(
          `insert into member_photo (gym_id, member_id, content_type, bytes, updated_at, updated_by) values (?, ?, ?, ?, ?, ?)
           on conflict (gym_id, member_id) do update set content_type = excluded.content_type, bytes = excluded.bytes, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [p.gymId, p.memberId, p.contentType, Buffer.from(p.bytes), new Date(p.at), p.by],
          "run",
          tx.getTransactionContext(),
        );
        if (p.staff)
          await auditStaffWrite(tx, {
            gymId: p.gymId,
            actorId: p.by,
            action: "photo:upload",
            entityType: "member",
            entityId: p.memberId,
            before: null,
            after: { contentType: p.contentType, bytes: p.bytes.byteLength },
            commandId: null,
            at: p.at,
          });
      }),
    async get(gymId: string, memberId: string): Promise<StoredPhoto | null> {
      const [r] = await orm.em
        .fork()
        .getConnection()
        .execute<{ content_type: string; bytes: Buffer; updated_at: Date }[]>(
          `select content_type, bytes, updated_at from member_photo where gym_id = ? and member_id = ?`,
          [gymId, memberId],
        );
      return r ? { contentType: r.content_type, bytes: new Uint8Array(r.bytes), updatedAt: new Date(r.updated_at).getTime() } : null;
    },
  };
}

/** When the member's photo last changed (null: none) — what the desk card needs to fetch it. */
export async function photoUpdatedAt(tx: EntityManager, gymId: string, memberId: string): Promise<number | null> {
  const [r] = await tx
    .getConnection()
    .execute<{ updated_at: Date }[]>(
      `select updated_at from member_photo where gym_id = ? and member_id = ?`,
      [gymId, memberId],
      "all",
      tx.getTransactionContext(),
    );
  return r ? new Date(r.updated_at).getTime() : null;
}
