/**
 * Audit hash chains, without the hash function (the server passes SHA-256):
 * `hash = H(prevHash + canonicalJson(fields))`, `seq` contiguous from 1 per chain, the first `prevHash` is 64 zeros.
 *
 * Each room keeps its own chain (`chain` = the room id; the room is its single fenced writer). Each gym has a
 * gym-level chain (`chain` = the gym id) that anchors the rooms' heads and holds the gym's other rows; rows
 * written before room chains existed are the start of that gym-level chain.
 */
import { canonicalJson } from "./canonicalJson.js";

/** `prevHash` of a gym's first row. */
export const GENESIS_HASH = "0".repeat(64);

/** What one audit row says, before it is placed in the chain. */
export interface AuditDraft {
  id: string;
  at: number;
  /** Null for the system (room timers, automatic consequences). */
  actorId: string | null;
  /** The actor's role in the gym, or "system". */
  role: string | null;
  /** Command type (`class:book`) or, for system rows, the change (`booking.updated`). */
  action: string;
  entityType: string;
  entityId: string | null;
  /** Small before/after JSON; never secrets or free text. */
  summary: { before: unknown; after: unknown } & Record<string, unknown>;
  commandId: string | null;
}

/** A row as stored: its draft, its gym, its chain and its place in it. */
export interface AuditRow extends AuditDraft {
  gymId: string;
  /** The room id (a room's chain) or the gym id (the gym-level chain). */
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/** The last link of a gym's chain (`seq` 0 and {@link GENESIS_HASH} when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The text that is hashed for a row: the previous hash, then every field but the two hashes, canonically.
 * A room chain's rows hash their `chain` too (a row cannot move to another chain); gym-level rows hash without
 * it, as every row did before room chains, so those rows verify unchanged.
 */
export function chainInput(prevHash: string, row: Omit<AuditRow, "prevHash" | "hash">): string {
  const { id, gymId, chain, seq, at, actorId, role, action, entityType, entityId, summary, commandId } = row;
  const c = canonicalJson;
  // `canonicalJson` of the fields object written out in its sorted key order (no object built and sorted per row);
  // a field left undefined (dropped by canonicalJson) takes the general path.
  if (
    id !== undefined &&
    seq !== undefined &&
    at !== undefined &&
    actorId !== undefined &&
    role !== undefined &&
    action !== undefined &&
    entityType !== undefined &&
    entityId !== undefined &&
    summary !== undefined &&
    commandId !== undefined &&
    gymId !== undefined &&
    chain !== undefined
  ) {
    const onRoomChain = chain !== gymId ? `,"chain":${c(chain)}` : "";
    return `${prevHash}{"action":${c(action)},"actorId":${c(actorId)},"at":${c(at)}${onRoomChain},"commandId":${c(commandId)},"entityId":${c(entityId)},"entityType":${c(entityType)},"gymId":${c(gymId)},"id":${c(id)},"role":${c(role)},"seq":${c(seq)},"summary":${c(summary)}}`;
  }
  const fields = { id, gymId, seq, at, actorId, role, action, entityType, entityId, summary, commandId };
  return prevHash + c(chain === gymId ? fields : { ...fields, chain });
}

/**
 * Appends drafts to `chain` after `head`; returns the rows and the new head. A draft with an actor and no role
 * takes `roleOf(actorId)` when given.
 */
export function linkRows(
  gymId: string,
  chain: string,
  head: ChainHead,
  drafts: readonly AuditDraft[],
  hash: (input: string) => string,
  roleOf?: (actorId: string) => string | null,
): { rows: AuditRow[]; head: ChainHead } {
  let { seq, hash: prev } = head;
  const rows = new Array<AuditRow>(drafts.length);
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    // One object per row, written out (not two spreads of the draft): every command of every commit makes one.
    const row: AuditRow = {
      id: d.id,
      at: d.at,
      actorId: d.actorId,
      role: d.actorId !== null && d.role === null && roleOf ? roleOf(d.actorId) : d.role,
      action: d.action,
      entityType: d.entityType,
      entityId: d.entityId,
      summary: d.summary,
      commandId: d.commandId,
      gymId,
      chain,
      seq: ++seq,
      prevHash: prev,
      hash: "",
    };
    row.hash = hash(chainInput(prev, row));
    prev = row.hash;
    rows[i] = row;
  }
  return { rows, head: { seq, hash: prev } };
}

/** A link of a chain that does not hold: where, and what was expected instead of what was found. */
export interface BrokenLink {
  seq: number;
  what: "seq" | "prevHash" | "hash" | "head" | "anchor";
  expected: string;
  found: string;
}

/**
 * The first broken link among `rows` (ordered by `seq`) that continue the chain after `from`
 * (the genesis by default; pass the last verified row to check a chain page by page), or null.
 */
export function firstBrokenLink(
  rows: readonly AuditRow[],
  hash: (input: string) => string,
  from: ChainHead = { seq: 0, hash: GENESIS_HASH },
): BrokenLink | null {
  let prev = from.hash;
  let expectedSeq = from.seq + 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { seq: expectedSeq, what: "seq", expected: `seq ${expectedSeq}`, found: `seq ${row.seq}` };
    if (row.prevHash !== prev) return { seq: row.seq, what: "prevHash", expected: prev, found: row.prevHash };
    const expected = hash(chainInput(prev, row));
    if (row.hash !== expected) return { seq: row.seq, what: "hash", expected, found: row.hash };
    prev = row.hash;
    expectedSeq += 1;
  }
  return null;
}
