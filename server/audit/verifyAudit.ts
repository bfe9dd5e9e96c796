import type { EntityManager } from "@mikro-orm/core";
import { firstBrokenLink, GENESIS_HASH, type AuditRow, type BrokenLink, type ChainHead } from "../../domain/audit/chain.js";
import { sha256Hex } from "./hash.js";

/** The outcome of walking the chains: counts, and the first broken link (with its gym) if any. */
export type AuditVerification = { rows: number; gyms: number; broken: (BrokenLink & { gymId: string }) | null };

type Raw = {
  id: string; gym_id: string; seq: number | string; at: Date | string; actor_id: string | null; role: string | null; action: string;
  entity_type: string; entity_id: string | null; summary: unknown; command_id: string | null; prev_hash: string; hash: string;
};

const PAGE = 2_000;

function toRow(r: Raw): AuditRow {
  return {
    id: r.id, gymId: r.gym_id, seq: Number(r.seq), at: new Date(r.at).getTime(), actorId: r.actor_id, role: r.role, action: r.action,
    entityType: r.entity_type, entityId: r.entity_id, summary: (typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary) as AuditRow["summary"],
    commandId: r.command_id, prevHash: r.prev_hash, hash: r.hash,
  };
}

/**
 * Walks each gym's audit chain (or one gym's) in `seq` order, a page at a time, and stops at the first link that
 * does not hold: a missing or repeated `seq`, a `prevHash` that is not the previous row's hash, a row whose
 * fields no longer hash to its `hash`, or a chain head (`audit_head`) that is not the last row.
 */
export async function verifyAudit(em: EntityManager, gymId?: string): Promise<AuditVerification> {
  const conn = em.getConnection();
  const gymRows = await conn.execute<{ gym_id: string }[]>(
    gymId
      ? `select ? as gym_id`
      : `select gym_id from audit_log group by gym_id union select gym_id from audit_head order by gym_id`,
    gymId ? [gymId] : [],
  );
  let rows = 0;
  for (const { gym_id } of gymRows) {
    let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const page = (
        await conn.execute<Raw[]>(`select * from audit_log where gym_id = ? and seq > ? order by seq limit ?`, [gym_id, head.seq, PAGE])
      ).map(toRow);
      const broken = firstBrokenLink(page, sha256Hex, head);
      if (broken) return { rows, gyms: gymRows.length, broken: { gymId: gym_id, ...broken } };
      rows += page.length;
      if (page.length > 0) head = { seq: page[page.length - 1]!.seq, hash: page[page.length - 1]!.hash };
      if (page.length < PAGE) break;
    }
    const [stored] = await conn.execute<{ seq: number | string; hash: string }[]>(`select seq, hash from audit_head where gym_id = ?`, [gym_id]);
    const storedHead = stored ? { seq: Number(stored.seq), hash: stored.hash } : { seq: 0, hash: GENESIS_HASH };
    if (storedHead.seq !== head.seq || storedHead.hash !== head.hash)
      return { rows, gyms: gymRows.length, broken: { gymId: gym_id, seq: head.seq, what: "head", expected: `seq ${head.seq} ${head.hash}`, found: `seq ${storedHead.seq} ${storedHead.hash}` } };
  }
  return { rows, gyms: gymRows.length, broken: null };
}
