import type { EntityManager } from "@mikro-orm/core";
import { firstBrokenLink, GENESIS_HASH, type AuditRow, type BrokenLink, type ChainHead } from "../../domain/audit/chain.js";
import { ANCHOR_ACTION } from "./anchors.js";
import { sha256Hex } from "./hash.js";

/**
 * The outcome of walking the chains: counts (`rows` excludes anchors; `unanchored` are room rows after their
 * chain's last anchor, accepted), and the first broken link (with its gym and chain) if any.
 */
export type AuditVerification = {
  rows: number;
  gyms: number;
  chains: number;
  anchors: number;
  unanchored: number;
  broken: (BrokenLink & { gymId: string; chain: string }) | null;
};

type Raw = {
  id: string;
  gym_id: string;
  chain: string;
  seq: number | string;
  at: Date | string;
  actor_id: string | null;
  role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: unknown;
  command_id: string | null;
  prev_hash: string;
  hash: string;
};

const PAGE = 2_000;

function toRow(r: Raw): AuditRow {
  return {
    id: r.id,
    gymId: r.gym_id,
    chain: r.chain,
    seq: Number(r.seq),
    at: new Date(r.at).getTime(),
    actorId: r.actor_id,
    role: r.role,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    summary: (typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary) as AuditRow["summary"],
    commandId: r.command_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Walks one chain a page at a time; calls `each` on every verified row. Answers its head, or the first broken link. */
async function walk(
  em: EntityManager,
  chain: string,
  each: (row: AuditRow) => BrokenLink | null,
  upTo = Number.MAX_SAFE_INTEGER,
): Promise<{ head: ChainHead; rows: number } | BrokenLink> {
  const conn = em.getConnection();
  let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let rows = 0;
  for (;;) {
    const page = (
      await conn.execute<Raw[]>(`select * from audit_log where chain = ? and seq > ? and seq <= ? order by seq limit ?`, [
        chain,
        head.seq,
        upTo,
        PAGE,
      ])
    ).map(toRow);
    const broken = firstBrokenLink(page, sha256Hex, head);
    if (broken) return broken;
    for (const row of page) {
      const bad = each(row);
      if (bad) return bad;
    }
    rows += page.length;
    if (page.length > 0) head = { seq: page[page.length - 1]!.seq, hash: page[page.length - 1]!.hash };
    if (page.length < PAGE) return { head, rows };
  }
}

/**
 * Verifies each gym (or one): first its gym-level chain (`chain` = the gym id: anchors and the gym's own rows),
 * which must end at its stored head (`audit_head`); then every room chain, each contiguous and hash-linked from
 * 64 zeros, whose rows must match every anchor that names them — so a rewritten or truncated room chain shows
 * as the first link that no longer holds. Room rows after their chain's last anchor are accepted (anchoring
 * follows the commit) and counted as `unanchored`.
 */
export async function verifyAudit(em: EntityManager, gymId?: string): Promise<AuditVerification> {
  const conn = em.getConnection();
  const gymRows = await conn.execute<{ gym_id: string }[]>(
    gymId ? `select ? as gym_id` : `select distinct gym_id from audit_log union select gym_id from audit_head order by gym_id`,
    gymId ? [gymId] : [],
  );
  const out: AuditVerification = { rows: 0, gyms: gymRows.length, chains: 0, anchors: 0, unanchored: 0, broken: null };
  for (const { gym_id } of gymRows) {
    const fail = (chain: string, b: BrokenLink) => ({ ...out, broken: { gymId: gym_id, chain, ...b } });
    // Anchored heads per room chain: seq → hash.
    const anchored = new Map<string, Map<number, string>>();
    let anchorRows = 0;
    // The stored head first: rows appended while we walk (anchors keep coming) are past it and not checked.
    const [stored] = await conn.execute<{ seq: number | string; hash: string }[]>(`select seq, hash from audit_head where gym_id = ?`, [
      gym_id,
    ]);
    const storedHead = stored ? { seq: Number(stored.seq), hash: stored.hash } : { seq: 0, hash: GENESIS_HASH };
    const gymChain = await walk(
      em,
      gym_id,
      (row) => {
        if (row.action !== ANCHOR_ACTION || row.entityId === null) return null;
        const at = (row.summary.after ?? {}) as { seq?: number; hash?: string };
        let seqs = anchored.get(row.entityId);
        if (!seqs) anchored.set(row.entityId, (seqs = new Map()));
        seqs.set(Number(at.seq), String(at.hash));
        anchorRows += 1;
        return null;
      },
      storedHead.seq,
    );
    if (!("head" in gymChain)) return fail(gym_id, gymChain);
    out.rows += gymChain.rows - anchorRows;
    out.anchors += anchorRows;
    const { head } = gymChain;
    if (storedHead.seq !== head.seq || storedHead.hash !== head.hash)
      return fail(gym_id, {
        seq: head.seq,
        what: "head",
        expected: `seq ${head.seq} ${head.hash}`,
        found: `seq ${storedHead.seq} ${storedHead.hash}`,
      });
    const chains = (
      await conn.execute<{ chain: string }[]>(`select distinct chain from audit_log where gym_id = ? and chain <> ? order by chain`, [
        gym_id,
        gym_id,
      ])
    ).map((c: { chain: string }) => c.chain);
    for (const name of new Set([...chains, ...[...anchored.keys()].sort()])) {
      const anchors = anchored.get(name) ?? new Map<number, string>();
      const room = await walk(em, name, (row) => {
        const hash = anchors.get(row.seq);
        return hash !== undefined && hash !== row.hash ? { seq: row.seq, what: "anchor", expected: hash, found: row.hash } : null;
      });
      if (!("head" in room)) return fail(name, room);
      const last = Math.max(0, ...anchors.keys());
      // An anchor past the chain's end: its rows were removed.
      if (last > room.head.seq)
        return fail(name, {
          seq: room.head.seq + 1,
          what: "anchor",
          expected: `seq ${last} ${anchors.get(last)}`,
          found: `chain ends at seq ${room.head.seq}`,
        });
      out.rows += room.rows;
      out.unanchored += room.head.seq - last;
    }
    out.chains += 1 + chains.length;
  }
  return out;
}
