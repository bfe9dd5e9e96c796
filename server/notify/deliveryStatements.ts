/**
 * The notice delivery pass's two statements besides its claim: one read of what every claimed notice needs, and one
 * write recording the pass (see `noticeDelivery.ts`). Each is one round trip whatever the pass holds; the write is
 * one statement, so a notice's email target, its mail and its next due time are stored together or not at all.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { NoticeChannel, NoticeKind, NoticePreference } from "../../domain/notices/kinds.js";
import type { QuietHours } from "../../domain/notices/quietHours.js";
import { NO_FLUSH_WAIT } from "../db/noFlushWait.js";

/** A claimed notice, as the claim returns it. */
export type Due = {
  id: string;
  user_id: string;
  gym_id: string | null;
  kind: string;
  text: string;
  session_id: string | null;
  at: Date | string;
  delivery_attempts: number | string;
  expires_at: Date | string | null;
};

/** Target states that are never sent again. */
const FINISHED = new Set(["sent", "gone", "expired"]);

/** What delivering one notice needs to know of its person (and gym). */
export interface Facts {
  prefs: NoticePreference[];
  quiet: QuietHours | null;
  /** Targets (`email`, `push:<id>`) already done. */
  finished: Set<string>;
  email: string | null;
  gymName: string | null;
}

/** What a pass decided for one notice: its mail (if any), its next due time (null: done) and attempts (null: unchanged). */
export interface Outcome {
  n: Due;
  due: Date | null;
  attempts: number | null;
  mail: { to: string; subject: string; text: string; html: string } | null;
  /** Out of attempts: targets still retrying are recorded failed. */
  giveUp: boolean;
}

const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

/** The facts of every claimed notice, in one statement. */
export async function deliveryFacts(em: EntityManager, claimed: readonly Due[]): Promise<Map<string, Facts>> {
  const params: unknown[] = [];
  const values = claimed.map((n) => {
    params.push(n.id, n.user_id, n.gym_id);
    return "(?::uuid, ?::uuid, ?::uuid)";
  });
  type Row = {
    id: string;
    prefs: unknown;
    quiet: unknown;
    done: unknown;
    email: string | null;
    gym_name: string | null;
  };
  const rows = await em.getConnection().execute<Row[]>(
    `select n.id,
       (select coalesce(json_agg(json_build_object('kind', p.kind, 'channel', p.channel, 'enabled', p.enabled)), '[]'::json)
          from notice_preference p where p.user_id = n.user_id) as prefs,
       (select json_build_object('startMinute', q.start_minute, 'endMinute', q.end_minute, 'timeZone', q.time_zone)
          from notice_quiet_hours q where q.user_id = n.user_id) as quiet,
       (select coalesce(json_agg(json_build_object('target', d.target, 'status', d.status)), '[]'::json)
          from notice_delivery d where d.notice_id = n.id) as done,
       (select u.email from app_user u where u.id = n.user_id) as email,
       (select g.name from gym g where g.id = n.gym_id) as gym_name
     from (values ${values.join(", ")}) as n(id, user_id, gym_id)`,
    params,
  );
  const out = new Map<string, Facts>();
  for (const r of rows) {
    const prefs = json<{ kind: string; channel: string; enabled: boolean }[]>(r.prefs);
    const quiet = json<QuietHours | null>(r.quiet);
    out.set(r.id, {
      prefs: prefs.map((p) => ({ kind: p.kind as NoticeKind, channel: p.channel as NoticeChannel, enabled: p.enabled })),
      quiet: quiet && { startMinute: Number(quiet.startMinute), endMinute: Number(quiet.endMinute), timeZone: quiet.timeZone },
      finished: new Set(
        json<{ target: string; status: string }[]>(r.done)
          .filter((d) => FINISHED.has(d.status))
          .map((d) => d.target),
      ),
      email: r.email,
      gymName: r.gym_name,
    });
  }
  return out;
}

/**
 * Records a pass in one statement: each email target (`on conflict do nothing`: a target another pass recorded is not
 * mailed twice) with its mail in the mail outbox, and each notice's next due time and attempts. Answers whether any
 * mail was queued. Targets of notices out of attempts are marked failed after it (rare).
 */
export async function recordOutcomes(em: EntityManager, outcomes: readonly Outcome[], now: number): Promise<boolean> {
  if (outcomes.length === 0) return false;
  const at = new Date(now);
  const params: unknown[] = [];
  const parts: string[] = [];
  const mails = outcomes.filter((o) => o.mail !== null);
  if (mails.length > 0) {
    const rows = mails.map((o) => {
      params.push(o.n.id, o.n.gym_id, randomUUID(), o.mail!.to.slice(0, 320), o.mail!.subject.slice(0, 300), o.mail!.text, o.mail!.html);
      return "(?::uuid, ?::uuid, ?::uuid, ?::text, ?::text, ?::text, ?::text)";
    });
    params.push(at, at, at);
    parts.push(
      `m(notice_id, gym_id, mail_id, to_address, subject, text, html) as (values ${rows.join(", ")})`,
      `mine as (insert into notice_delivery (notice_id, target, gym_id, channel, status, attempts, last_error, updated_at)
         select notice_id, 'email', gym_id, 'email', 'sent', 1, null, ?::timestamptz from m
         on conflict (notice_id, target) do nothing returning notice_id)`,
      `mailed as (insert into mail_outbox (id, gym_id, to_address, template, subject, text, html, status, attempts, next_attempt_at, created_at)
         select m.mail_id, m.gym_id, m.to_address, 'notice', m.subject, m.text, m.html, 'queued', 0, ?::timestamptz, ?::timestamptz
         from m join mine on mine.notice_id = m.notice_id returning id)`,
    );
  }
  const next = outcomes.map((o) => {
    params.push(o.n.id, o.due, o.attempts);
    return "(?::uuid, ?::timestamptz, ?::int)";
  });
  parts.push(
    `u(id, due, attempts) as (values ${next.join(", ")})`,
    `moved as (update notice n set delivery_due_at = u.due, delivery_attempts = coalesce(u.attempts, n.delivery_attempts)
       from u where n.id = u.id returning n.id)`,
  );
  // Targets given up on fail in the same statement as the due time that stops retrying them: never one without the other.
  const failed = outcomes.filter((o) => o.giveUp).map((o) => o.n.id);
  if (failed.length > 0) {
    params.push(...failed);
    parts.push(
      `gave_up as (update notice_delivery set status = 'failed'
         where notice_id in (${failed.map(() => "?::uuid").join(", ")}) and status = 'retrying' returning notice_id)`,
    );
  }
  const [row] = await em
    .getConnection()
    .execute<{ mailed: number }[]>(
      `with ${parts.join(",\n")} select ${mails.length > 0 ? "(select count(*) from mailed)" : "0"}::int as mailed, ${NO_FLUSH_WAIT}`,
      params,
    );
  return Number(row?.mailed ?? 0) > 0;
}
