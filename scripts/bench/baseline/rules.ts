/**
 * The ordinary design, for comparison: every request is one PostgreSQL transaction that locks the
 * session row (`SELECT … FOR UPDATE`), re-reads what it needs, decides and writes. Same rules as
 * Spotter's domain for what the bench exercises (status, booking window, duplicate booking, queue
 * ahead, capacity, membership and plan, automatic promotion, check-in window, idempotency record).
 */
import { randomUUID } from "node:crypto";
import { transaction, type Pool, type Queryable } from "../lib/pg.js";

export class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export type Notify = (channel: string, ops: { op: "set"; path: string[]; value: unknown }[]) => void;

const MIN = 60_000;
const LIVE = `status in ('booked', 'checked_in')`;

interface Caller {
  gymId: string;
  role: string;
}

interface SessionRow {
  id: string;
  gym_id: string;
  starts_at: Date;
  capacity: number;
  status: string;
  promotion_mode: string;
  booking_opens_minutes: number;
  booking_closes_minutes: number;
  auto_promote_cutoff_minutes: number;
  check_in_opens_minutes: number;
  check_in_closes_minutes: number;
}

/** The member's standing in a gym: active membership with a plan that still entitles them. */
async function entitled(tx: Queryable, gymId: string, memberId: string): Promise<string | null> {
  const { rows } = await tx.query<{ status: string; entitlement: { kind: string } | null; credits: number | null }>(
    `select m.status, p.entitlement, m.credits from gym_membership m left join membership_plan p on p.id = m.plan_id where m.gym_id = $1 and m.user_id = $2`,
    [gymId, memberId],
  );
  const m = rows[0];
  if (!m) return "NOT_FOUND";
  if (m.status !== "active" || !m.entitlement) return "MEMBERSHIP_INACTIVE";
  if (m.entitlement.kind === "pack") {
    const { rowCount } = await tx.query(
      `update gym_membership set credits = credits - 1 where gym_id = $1 and user_id = $2 and credits > 0`,
      [gymId, memberId],
    );
    if (rowCount === 0) return "NO_CREDITS";
  }
  return null;
}

async function lockSession(tx: Queryable, sessionId: string, caller: Caller): Promise<SessionRow> {
  const { rows } = await tx.query<SessionRow>(`select * from class_session where id = $1 for update`, [sessionId]);
  const s = rows[0];
  if (!s || s.gym_id !== caller.gymId) throw new Refused("NOT_FOUND");
  return s;
}

function target(caller: Caller & { userId: string }, memberId: string | undefined): string {
  if (memberId && memberId !== caller.userId && caller.role === "member") throw new Refused("FORBIDDEN");
  return memberId ?? caller.userId;
}

async function remember(tx: Queryable, room: string, userId: string, commandId: string, gymId: string, type: string, response: unknown) {
  const { rowCount } = await tx.query(
    `insert into processed_command (room, user_id, command_id, gym_id, type, response, created_at) values ($1, $2, $3, $4, $5, $6, now()) on conflict do nothing`,
    [room, userId, commandId, gymId, type, JSON.stringify(response)],
  );
  if (rowCount === 0) throw new Refused("DUPLICATE_COMMAND");
}

export interface Ctx {
  db: Pool;
  caller: Caller & { userId: string };
  commandId: string;
  notify: Notify;
}

/** `class:book`: lock the session, count, check, insert. */
export async function book(c: Ctx, p: { sessionId: string; memberId?: string }) {
  const memberId = target(c.caller, p.memberId);
  const result = await transaction(c.db, async (tx) => {
    const s = await lockSession(tx, p.sessionId, c.caller);
    if (s.status !== "scheduled") throw new Refused(s.status === "cancelled" ? "CLASS_CANCELLED" : "CLASS_COMPLETED");
    const now = Date.now();
    const start = s.starts_at.getTime();
    if (now < start - s.booking_opens_minutes * MIN) throw new Refused("BOOKING_NOT_OPEN");
    if (now >= start - s.booking_closes_minutes * MIN) throw new Refused("BOOKING_CLOSED");
    const { rows } = await tx.query<{ live: string; mine: boolean | null; queue: boolean }>(
      `select count(*) filter (where ${LIVE}) as live, bool_or(member_id = $2 and ${LIVE}) as mine,
         exists (select 1 from waitlist_entry w where w.session_id = $1 and w.status in ('waiting', 'offered')) as queue
       from booking where session_id = $1`,
      [p.sessionId, memberId],
    );
    const live = Number(rows[0]!.live);
    if (rows[0]!.mine) throw new Refused("ALREADY_BOOKED");
    const refused = await entitled(tx, s.gym_id, memberId);
    if (refused) throw new Refused(refused);
    const queueAhead = now < start - s.auto_promote_cutoff_minutes * MIN && rows[0]!.queue;
    if (live >= s.capacity || queueAhead) throw new Refused("CLASS_FULL");
    const bookingId = randomUUID();
    await tx.query(
      `insert into booking (id, gym_id, session_id, member_id, status, created_at, updated_at, credit_used, promoted_from_waitlist)
       values ($1, $2, $3, $4, 'booked', now(), now(), false, false)`,
      [bookingId, s.gym_id, s.id, memberId],
    );
    const out = { status: "booked", bookingId, spotsLeft: s.capacity - live - 1 };
    await remember(tx, `class:${s.id}`, c.caller.userId, c.commandId, s.gym_id, "class:book", { ok: true, result: out });
    return { out, booked: live + 1 };
  });
  c.notify(`class:${p.sessionId}`, [
    { op: "set", path: ["counts", "booked"], value: result.booked },
    { op: "set", path: ["counts", "spotsLeft"], value: result.out.spotsLeft },
  ]);
  return result.out;
}

/** `class:cancelBooking` (before the late-cancel line): cancel, then promote the first waiting member in the same transaction. */
export async function cancel(c: Ctx, p: { sessionId: string; memberId?: string }) {
  const memberId = target(c.caller, p.memberId);
  const done = await transaction(c.db, async (tx) => {
    const s = await lockSession(tx, p.sessionId, c.caller);
    const { rows } = await tx.query<{ id: string }>(
      `select id from booking where session_id = $1 and member_id = $2 and ${LIVE} for update`,
      [s.id, memberId],
    );
    if (!rows[0]) throw new Refused("NOT_BOOKED");
    await tx.query(`update booking set status = 'cancelled', updated_at = now() where id = $1`, [rows[0].id]);
    let promoted: string | null = null;
    if (s.promotion_mode === "automatic" && Date.now() < s.starts_at.getTime() - s.auto_promote_cutoff_minutes * MIN) {
      const next = await tx.query<{ id: string; member_id: string; position: number }>(
        `select id, member_id, position from waitlist_entry where session_id = $1 and status = 'waiting' order by position limit 1 for update`,
        [s.id],
      );
      const entry = next.rows[0];
      if (entry && (await entitled(tx, s.gym_id, entry.member_id)) === null) {
        promoted = entry.member_id;
        await tx.query(`update waitlist_entry set status = 'promoted', updated_at = now() where id = $1`, [entry.id]);
        await tx.query(
          `update waitlist_entry set position = position - 1, updated_at = now() where session_id = $1 and status = 'waiting' and position > $2`,
          [s.id, entry.position],
        );
        await tx.query(
          `insert into booking (id, gym_id, session_id, member_id, status, created_at, updated_at, credit_used, promoted_from_waitlist)
           values ($1, $2, $3, $4, 'booked', now(), now(), false, true)`,
          [randomUUID(), s.gym_id, s.id, entry.member_id],
        );
      }
    }
    const out = { status: "cancelled", bookingId: rows[0].id, late: false };
    await remember(tx, `class:${s.id}`, c.caller.userId, c.commandId, s.gym_id, "class:cancelBooking", { ok: true, result: out });
    return { out, promoted };
  });
  if (done.promoted) {
    const notice = { id: randomUUID(), at: Date.now(), sessionId: p.sessionId, kind: "promoted", text: "You're in" };
    c.notify(`user:${done.promoted}`, [{ op: "set", path: ["notices", notice.id], value: notice }]);
  }
  return done.out;
}

/** `gym:checkIn` at the desk: the member's booking whose check-in window is open → checked in, with check-in and attendance rows. */
export async function checkIn(c: Ctx, p: { memberId: string }) {
  if (c.caller.role === "member") throw new Refused("FORBIDDEN");
  const gymId = c.caller.gymId;
  const out = await transaction(c.db, async (tx) => {
    const m = await tx.query<{ status: string }>(`select status from gym_membership where gym_id = $1 and user_id = $2`, [
      gymId,
      p.memberId,
    ]);
    const { rows } = await tx.query<{ booking_id: string; session_id: string; status: string }>(
      `select b.id as booking_id, b.session_id, b.status from booking b join class_session s on s.id = b.session_id
       where b.gym_id = $1 and b.member_id = $2 and b.${LIVE} and s.status = 'scheduled'
         and now() between s.starts_at - make_interval(mins => s.check_in_opens_minutes) and s.starts_at + make_interval(mins => s.check_in_closes_minutes)
       order by abs(extract(epoch from s.starts_at - now())) limit 1 for update of b`,
      [gymId, p.memberId],
    );
    const b = rows[0];
    if (b?.status === "checked_in") return { status: "already_checked_in", bookingId: b.booking_id };
    const denied = m.rows[0]?.status !== "active" ? "MEMBERSHIP_INACTIVE" : b ? null : "NO_BOOKING";
    const checkInId = randomUUID();
    await tx.query(
      `insert into check_in (id, gym_id, member_id, session_id, source, result, reason, at, by_user_id) values ($1, $2, $3, $4, 'desk', $5, $6, now(), $7)`,
      [checkInId, gymId, p.memberId, b?.session_id ?? null, denied ? "denied" : "accepted", denied, c.caller.userId],
    );
    if (denied || !b) return { status: "denied", reason: denied, checkInId };
    await tx.query(`update booking set status = 'checked_in', updated_at = now() where id = $1`, [b.booking_id]);
    await tx.query(`insert into attendance_event (id, gym_id, member_id, session_id, at) values ($1, $2, $3, $4, now())`, [
      randomUUID(),
      gymId,
      p.memberId,
      b.session_id,
    ]);
    const result = { status: "checked_in", bookingId: b.booking_id, checkInId };
    await remember(tx, `gym:${gymId}`, c.caller.userId, c.commandId, gymId, "gym:checkIn", { ok: true, result });
    return result;
  });
  c.notify(`gym:${gymId}`, [{ op: "set", path: ["checkIns", p.memberId], value: out.status }]);
  return out;
}

/**
 * `feed:page { offset }` the ordinary way: newest first with LIMIT/OFFSET over the same visibility and block
 * rules, then the page's reaction and comment counts in two more statements.
 */
export async function feedPage(c: Ctx, p: { offset?: number }) {
  const offset = Math.max(0, Math.min(Number(p?.offset ?? 0), 100_000));
  const me = c.caller.userId;
  const { rows } = await c.db.query<{ id: string; actor_id: string; kind: string; payload: unknown; at: Date; visibility: string }>(
    `select e.id, e.actor_id, e.kind, e.payload, e.at, e.visibility from feed_event e
      where e.gym_id = $1
        and (e.actor_id = $2 or e.visibility in ('gym', 'public')
             or (e.visibility = 'followers' and exists (select 1 from feed_follow f where f.follower_id = $2 and f.followee_id = e.actor_id)))
        and not exists (select 1 from feed_block b where (b.blocker_id = $2 and b.blocked_id = e.actor_id) or (b.blocker_id = e.actor_id and b.blocked_id = $2))
      order by e.at desc, e.id desc limit 50 offset $3`,
    [c.caller.gymId, me, offset],
  );
  const ids = rows.map((r) => r.id);
  const [reactions, comments] = await Promise.all([
    c.db.query<{ event_id: string; kind: string; n: string }>(
      `select event_id, kind, count(*) as n from feed_reaction where event_id = any($1) group by 1, 2`,
      [ids],
    ),
    c.db.query<{ event_id: string; n: string }>(`select event_id, count(*) as n from feed_comment where event_id = any($1) group by 1`, [
      ids,
    ]),
  ]);
  return {
    cards: rows.map((r) => ({
      id: r.id,
      actor: { id: r.actor_id },
      kind: r.kind,
      payload: r.payload,
      at: r.at.getTime(),
      visibility: r.actor_id === me ? r.visibility : null,
      reactions: Object.fromEntries(reactions.rows.filter((x) => x.event_id === r.id).map((x) => [x.kind, Number(x.n)])),
      comments: Number(comments.rows.find((x) => x.event_id === r.id)?.n ?? 0),
    })),
    nextOffset: rows.length === 50 ? offset + 50 : null,
  };
}
