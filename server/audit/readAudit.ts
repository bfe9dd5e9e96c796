import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { AuditDraft } from "../../domain/audit/chain.js";
import { CallBatcher } from "../../rooms/batcher.js";
import { runBound } from "../db/boundStatement.js";
import { unnestRows } from "../db/statementRows.js";
import type { Logger } from "../logger.js";
import { appendAudit } from "./auditWriter.js";

/** A staff read of personal data: who read what. `summary` holds counts, never the data or the search text. */
export interface StaffRead {
  gymId: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
  commandId: string | null;
  at: number;
}

type OutboxRow = {
  id: string;
  gym_id: string;
  at: Date | string;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: unknown;
  command_id: string | null;
};

const BATCH = 500;

/**
 * How long a read waits for its audit row before it is refused (UNAVAILABLE): one insert stuck on a half-open
 * connection must not hold every staff read of the node behind it (batches run one after another). The insert may
 * still land later: a refused read is then audited too, never the other way round.
 */
export const READ_AUDIT_TIMEOUT_MS = 5_000;

/** An outbox row's columns in statement order, with their casts (rows travel as one array per column). */
const CASTS = ["uuid", "uuid", "timestamptz", "uuid", "varchar", "varchar", "varchar", "jsonb", "varchar"] as const;
const COLUMNS = "id, gym_id, at, actor_id, action, entity_type, entity_id, summary, command_id";

/**
 * Audits staff reads that return several people's personal data or a full profile (issue 14 item 6), off the
 * read's path: `record` inserts one outbox row (no chain lock: a desk search never waits for a room's commit),
 * and `drain` moves outbox rows into their gyms' chains, one transaction per batch. Rows are taken with
 * `for update skip locked`, so the drainers of several nodes share the work; gyms are locked in id order.
 */
export class ReadAudit {
  private timer: ReturnType<typeof setInterval> | undefined;
  private draining: Promise<number> | undefined;
  /** Rows recorded here since the last drain began (true at start: rows a stopped node left behind). */
  private dirty = true;
  private ticks = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
    private readonly timeoutMs = READ_AUDIT_TIMEOUT_MS,
  ) {}

  /**
   * Reads recorded while an insert runs go together in the next one: one statement (and one WAL flush) for a burst
   * of staff joins, not one each. Alone, a read waits for nothing but its own insert.
   */
  private readonly inserts = new CallBatcher<StaffRead, void>((reads) => this.insert(reads), BATCH);

  /** Records a read; resolves once the outbox row is stored durably (the chain gets it on the next drain). */
  async record(read: StaffRead): Promise<void> {
    await this.inserts.call(read);
    this.dirty = true;
  }

  /**
   * One `insert … select * from unnest(…)` for the reads: its text is the same for any number of rows, so on
   * PostgreSQL it runs as a named prepared statement (`runBound`), with no MikroORM query building per read.
   */
  private async insert(reads: StaffRead[]): Promise<void[]> {
    const rows = reads.map((r) => [
      randomUUID(),
      r.gymId,
      new Date(r.at),
      r.actorId,
      r.action,
      r.entityType,
      r.entityId,
      JSON.stringify(r.summary),
      r.commandId,
    ]);
    const { sql, params } = unnestRows(CASTS, rows);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`read audit insert not stored within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const stored = runBound(this.orm.em.fork(), `insert into audit_outbox (${COLUMNS}) select * from ${sql}`, params);
    stored.catch(() => undefined); // once timed out, its own failure has no one to tell
    try {
      await Promise.race([stored, late]);
    } finally {
      clearTimeout(timer);
    }
    return reads.map(() => undefined);
  }

  /**
   * Drains every `intervalMs` while this node recorded reads, and every 60 ticks regardless (rows of other nodes
   * that stopped before draining): an idle node costs the database no transaction twice a second.
   */
  start(intervalMs = 500): void {
    this.timer ??= setInterval(() => {
      // A drain in flight may have read the outbox before the latest rows: keep them dirty for the next tick.
      if (this.draining || (!this.dirty && ++this.ticks % 60 !== 0)) return;
      this.dirty = false;
      void this.drain().catch((err: unknown) => {
        this.dirty = true;
        this.log.warn({ err }, "read audit drain failed");
      });
    }, intervalMs);
    this.timer.unref?.();
  }

  /** Stops the timer and drains what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.drain().catch((err: unknown) => this.log.warn({ err }, "read audit drain failed"));
  }

  /** Moves outbox rows into the audit chains; returns how many. One drain at a time per node. */
  drain(): Promise<number> {
    return (this.draining ??= this.drainAll().finally(() => (this.draining = undefined)));
  }

  private async drainAll(): Promise<number> {
    let moved = 0;
    for (;;) {
      const n = await this.orm.em.fork().transactional(async (tx) => {
        const conn = tx.getConnection();
        const trx = tx.getTransactionContext();
        const rows: OutboxRow[] = await conn.execute(
          `select * from audit_outbox order by at, id limit ? for update skip locked`,
          [BATCH],
          "all",
          trx,
        );
        const byGym = new Map<string, AuditDraft[]>();
        for (const r of rows) {
          const summary = (typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary) as Record<string, unknown>;
          const draft: AuditDraft = {
            id: r.id,
            at: new Date(r.at).getTime(),
            actorId: r.actor_id,
            role: null,
            action: r.action,
            entityType: r.entity_type,
            entityId: r.entity_id,
            summary: { before: null, after: null, ...summary },
            commandId: r.command_id,
          };
          byGym.set(r.gym_id, [...(byGym.get(r.gym_id) ?? []), draft]);
        }
        for (const gymId of [...byGym.keys()].sort()) await appendAudit(tx, gymId, byGym.get(gymId)!);
        if (rows.length)
          await conn.execute(
            `delete from audit_outbox where id in (${rows.map(() => "?").join(",")})`,
            rows.map((r: OutboxRow) => r.id),
            "run",
            trx,
          );
        return rows.length;
      });
      moved += n;
      if (n < BATCH) return moved;
    }
  }
}
