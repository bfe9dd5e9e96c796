/**
 * The durable mail queue (`mail_outbox`): a request that sends mail only inserts a row; a sender on every node claims
 * due rows (`for update skip locked`, so two nodes never send one message twice at once), sends them and records the
 * outcome. A failure is retried with exponential backoff (30 s, 1 min, 2 min … up to 1 h); after MAX_ATTEMPTS the
 * message is `failed`, visible to staff with its last error.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { MailDraft, MailQueue } from "../../app/signin/ports.js";
import type { Logger } from "../logger.js";
import type { MailTransport } from "./transports.js";
import { DrainLoop } from "../outbox/drainLoop.js";
import { NO_FLUSH_WAIT } from "../db/noFlushWait.js";

export const MAX_ATTEMPTS = 8;
const BATCH = 10;
/** A claimed message is not claimed again for this long (a sender that died mid-send). */
const CLAIM_MS = 120_000;

export const backoffMs = (attempts: number): number => Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));

type Row = { id: string; to_address: string; subject: string; text: string; html: string; attempts: number | string };

export class MailOutbox implements MailQueue {
  private readonly loop: DrainLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly transport: MailTransport | null,
    private readonly from: string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.loop = new DrainLoop(() => this.pass(), BATCH, log, "mail outbox");
  }

  async enqueue(m: MailDraft): Promise<void> {
    const id = randomUUID();
    const at = new Date(this.now());
    await this.orm.em
      .getConnection()
      .execute(
        `insert into mail_outbox (id, gym_id, to_address, template, subject, text, html, status, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
        [id, m.gymId, m.to.slice(0, 320), m.template, m.subject.slice(0, 300), m.text, m.html, at, at],
      );
    // A queue that is not sending (a CLI) leaves the row for the server's sender.
    if (this.loop.started) void this.kick();
  }

  /** Sends due mail every second (and at once after an enqueue). */
  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.transport?.close();
  }

  /** Runs one pass now (or right after the pass in flight). Resolves when the queue has nothing due. */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  private async pass(): Promise<number> {
    const now = this.now();
    const conn = this.orm.em.getConnection();
    const claimed = await conn.execute<Row[]>(
      `update mail_outbox set next_attempt_at = ? where id in (
         select id from mail_outbox where status = 'queued' and next_attempt_at <= ? order by next_attempt_at limit ${BATCH} for update skip locked)
       returning id, to_address, subject, text, html, attempts, ${NO_FLUSH_WAIT}`,
      [new Date(now + CLAIM_MS), new Date(now)],
    );
    for (const m of claimed) {
      const attempts = Number(m.attempts) + 1;
      try {
        if (!this.transport) throw new Error("no SMTP_URL is set: mail cannot be sent");
        await this.transport.send({ id: m.id, from: this.from, to: m.to_address, subject: m.subject, text: m.text, html: m.html });
        await conn.execute(
          `update mail_outbox set status = 'sent', attempts = ?, sent_at = ?, last_error = null where id = ? returning ${NO_FLUSH_WAIT}`,
          [attempts, new Date(this.now()), m.id],
        );
      } catch (err) {
        const failed = attempts >= MAX_ATTEMPTS;
        const error = String((err as Error).message ?? err).slice(0, 500);
        this.log.warn({ mail: m.id, attempts, err: error }, failed ? "mail given up" : "mail send failed, will retry");
        await conn.execute(
          `update mail_outbox set status = ?, attempts = ?, next_attempt_at = ?, last_error = ? where id = ? returning ${NO_FLUSH_WAIT}`,
          [failed ? "failed" : "queued", attempts, new Date(this.now() + backoffMs(attempts)), error, m.id],
        );
      }
    }
    return claimed.length;
  }
}
