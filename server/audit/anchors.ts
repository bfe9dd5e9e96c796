/**
 * Anchors room chains into their gym's chain, after the rooms' commits and outside them: a room commit only
 * notes its new head here; one writer per gym (per node) appends the latest head of every room that moved as
 * an `audit:anchor` row of the gym-level chain, in its own transaction, coalescing whatever arrives meanwhile.
 * No room's commit waits for it or holds any lock it takes. A head that was never anchored (the node died
 * first) is anchored by the room's next commit and at start-up ({@link anchorLeftBehind}); verification accepts
 * room rows after the last anchor.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { AuditDraft, ChainHead } from "../../domain/audit/chain.js";
import type { AuditHead } from "../../rooms/ports.js";
import { nextTurn } from "../../rooms/afterReplies.js";
import { appendAudit, appendAuditAfter, readGymHead } from "./auditWriter.js";

/** The action of an anchor row (the gym-level chain's record of a room chain's head). */
export const ANCHOR_ACTION = "audit:anchor";

class AnchorWriter {
  private readonly waiting = new Map<string, Map<string, AuditHead>>();
  /** Each gym chain's head as this writer last wrote it: the next append compare-and-sets it (one round trip). */
  private readonly gymHeads = new Map<string, ChainHead>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly now: () => number,
  ) {}

  note(gymId: string, chain: string, head: AuditHead): void {
    if (head.seq === 0) return;
    let heads = this.waiting.get(gymId);
    if (!heads) this.waiting.set(gymId, (heads = new Map()));
    const known = heads.get(chain);
    if (!known || known.seq < head.seq) heads.set(chain, head);
    if (!this.running.has(gymId)) this.start(gymId);
  }

  private start(gymId: string): void {
    const run = this.drain(gymId).finally(() => this.running.delete(gymId));
    this.running.set(gymId, run);
  }

  private async drain(gymId: string): Promise<void> {
    // After the answers of the commit that noted it (and with whatever else this turn notes).
    await nextTurn();
    for (let failures = 0; ;) {
      const heads = this.waiting.get(gymId);
      if (!heads || heads.size === 0) return;
      this.waiting.delete(gymId);
      const at = this.now();
      const drafts: AuditDraft[] = [...heads].map(([chain, head]) => ({
        id: randomUUID(),
        at,
        actorId: null,
        role: "system",
        action: ANCHOR_ACTION,
        entityType: "audit_chain",
        entityId: chain,
        summary: { before: null, after: { seq: head.seq, hash: head.hash } },
        commandId: null,
      }));
      try {
        // Usually this node is the gym chain's only anchor writer: one statement that compare-and-sets the head
        // it last wrote. Else (first time; another writer appended) read the head and try again; under a
        // stream of other appends, lock the head and read it in a transaction.
        let head: ChainHead | null = null;
        for (let tries = 0; !head && tries < 3; tries++) {
          const known = this.gymHeads.get(gymId) ?? (await readGymHead(this.orm.em.fork(), gymId));
          head = await appendAuditAfter(this.orm.em.fork(), gymId, known, drafts);
          if (!head) this.gymHeads.delete(gymId);
        }
        if (!head) {
          const rows = await this.orm.em.fork().transactional((tx) => appendAudit(tx, gymId, drafts));
          const last = rows[rows.length - 1]!;
          head = { seq: last.seq, hash: last.hash };
        }
        this.gymHeads.set(gymId, head);
        failures = 0;
      } catch {
        this.gymHeads.delete(gymId);
        // Put them back under anything newer; a room's next commit anchors again anyway, so give up after a few tries.
        for (const [chain, head] of heads) this.note(gymId, chain, this.waiting.get(gymId)?.get(chain) ?? head);
        if (++failures >= 5) return;
        await new Promise((r) => setTimeout(r, 200 * failures).unref?.());
      }
    }
  }

  /** Resolves once every head noted so far is anchored (or given up). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}

/** One writer per ORM (its Configuration, shared by every fork). */
const writers = new WeakMap<object, AnchorWriter>();

function writerOf(orm: MikroORM, now: () => number = Date.now): AnchorWriter {
  let w = writers.get(orm.config);
  if (!w) writers.set(orm.config, (w = new AnchorWriter(orm, now)));
  return w;
}

/** After a room's commit: anchor its chain's new head into the gym's chain (soon, asynchronously). */
export function anchorLater(orm: MikroORM, gymId: string, chain: string, head: AuditHead, now?: () => number): void {
  writerOf(orm, now).note(gymId, chain, head);
}

/** Waits until the heads noted so far are anchored (shutdown; tests). */
export function settleAnchors(orm: MikroORM): Promise<void> {
  return writers.get(orm.config)?.settle() ?? Promise.resolve();
}

/**
 * At start-up: anchors every room chain whose head is past its last anchor — the tail a node left behind when it
 * died between a room's commit and its anchor, for a room that never commits again. One statement finds them
 * (the last row of each room chain against the highest anchored seq); the anchor writer appends them as usual.
 * Several nodes starting at once may anchor the same head twice, which verifies the same. Answers how many.
 */
export async function anchorLeftBehind(orm: MikroORM, now?: () => number): Promise<number> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ gym_id: string; chain: string; seq: number | string; hash: string }[]>(
      `with heads as (select distinct on (chain) gym_id, chain, seq, hash from audit_log where chain <> gym_id::text order by chain, seq desc),
          anchored as (select entity_id as chain, max((summary->'after'->>'seq')::int) as seq from audit_log where action = ? group by entity_id)
     select h.gym_id, h.chain, h.seq, h.hash from heads h left join anchored a on a.chain = h.chain where a.seq is null or a.seq < h.seq`,
      [ANCHOR_ACTION],
    );
  for (const r of rows) anchorLater(orm, r.gym_id, r.chain, { seq: Number(r.seq), hash: r.hash }, now);
  await settleAnchors(orm);
  return rows.length;
}
