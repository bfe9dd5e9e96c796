import type { MikroORM } from "@mikro-orm/core";
import type { Entitlement, GymPolicy, MembershipStatus, Role } from "../../domain/model.js";
import { activeOn, storedStreakOf } from "../../domain/attendance/streak.js";
import { waiverStanding } from "../../domain/admin/waivers.js";
import { missingConsents, type Consent, type RequiredConsents } from "../../domain/privacy.js";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import { accessKey, residentBooking, type ResidentMember, type StandingsSource } from "../../rooms/residentMember.js";
import { objectList } from "../../domain/shapes.js";
import { planTerms } from "./classMembers.js";

/** One member as the statement returns it: a JSON array, positional (no key names repeated per member). */
type MemberTuple = [
  userId: string,
  role: Role,
  status: MembershipStatus,
  planName: string | null,
  entitlement: Entitlement | null,
  credits: number | null,
  creditsExpireAt: string | null,
  name: string,
  email: string,
  phone: string | null,
  visible: boolean,
  notes: string,
  consents: Pick<Consent, "kind" | "version">[] | null,
  lastOpenGymAt: string | null,
  /**
   * Each booking's session, as its position in the gym row's `sessions` (which holds its id and times once per session,
   * not per booking: 60 sessions of 200 bookings sent each id 200 times), and beside it each booking's status (two
   * `array_agg`s, not a `json_agg` of pairs: 40 % less of PostgreSQL's time for 12,000 bookings, a third of the bytes).
   */
  bookingSessions: number[] | null,
  bookingStatuses: string[] | null,
  frozenUntil: string | null,
  progress: [streak: number, lastActiveDay: string | null] | null,
  activeDays: string[] | null,
  planKind: string | null,
  signedWaivers: string[] | null,
  planStartsOn: string | null,
  planEndsOn: string | null,
  classTypeIds: string[] | null,
];

/** A session of the gym since `since`: its start and check-in window (shared by all of its bookings). */
type SessionTuple = [sessionId: string, startsAt: string, opensMinutes: number, closesMinutes: number];

/** A booked session's id and times, as every booking of it is built with. */
interface SessionTimes {
  id: string;
  startsAt: number;
  checkInOpensAt: number;
  checkInClosesAt: number;
}

/** The gym's row (`member` null) or one member's (the other columns null). */
interface GymRow {
  time_zone: string | null;
  policy: ({ requiredConsents?: RequiredConsents } & Pick<GymPolicy, "waiverRequired" | "waiverVersions">) | string | null;
  sessions: SessionTuple[] | string | null;
  member: MemberTuple | string | null;
}

/** Members built between two turns of the event loop (see `read`). */
const SLICE = 50;

const instant = (v: string | null): number | null => (v === null ? null : Date.parse(v));
const parsed = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);

/**
 * The gym's policy and every member (or only `only`), each with plan, credits, consents, last
 * open-gym visit and bookings since `since`, in ONE statement: grouped scans of the gym's rows, not
 * a subquery per member, so a 5,000-member gym is one round trip and one pass over each table.
 * The gym is the row whose `member` is null; then one row per member: the driver parses rows as their
 * network chunks arrive, between other I/O, where one `json_agg` row of every member (~300 kB for 250
 * members) was one `JSON.parse` that held the event loop inside whichever join was in flight.
 */
// `bk` is ordered by member: without the table's statistics (a gym just imported) its hashed groups were joined to each
// member by a scan of them all (251 × 121 rows: 36 ms, against 13 ms in member order; 9 ms once analyzed).
// `act`: with a stored streak only the days since it count (an after-commit step not yet applied); without one, the history.
// Joined to `mem` inside each branch, so reading a few members uses the per-member indexes, not the gym's 400 days.
const STATEMENT = (only: number) => {
  const filter = only > 0 ? `and m.user_id in (${Array(only).fill("?").join(",")})` : "";
  // A few members' read takes only the sessions their bookings name, not every session of the gym.
  const sessionFilter =
    only > 0 ? "and s.id in (select b.session_id from booking b join mem on mem.user_id = b.member_id where b.status <> 'cancelled')" : "";
  return `
  with mem as (select m.* from gym_membership m where m.gym_id = ? ${filter}),
  ses as (select s.id, s.starts_at, s.check_in_opens_minutes, s.check_in_closes_minutes, (row_number() over (order by s.starts_at, s.id))::int - 1 as n
            from class_session s where s.gym_id = ? and s.starts_at >= ? ${sessionFilter}),
  con as (select c.user_id, json_agg(json_build_object('kind', c.kind, 'version', c.version)) as list
            from consent c join mem on mem.user_id = c.user_id group by c.user_id),
  vis as (select a.member_id, max(a.at) as at from attendance_event a
           where a.gym_id = ? and a.session_id is null and a.at >= ? group by a.member_id),
  bk as (select b.member_id, array_agg(ses.n) as sessions, array_agg(b.status) as statuses
           from ses join booking b on b.session_id = ses.id where b.status <> 'cancelled' group by b.member_id order by b.member_id),
  pr as (select p.member_id, p.streak, p.last_active_day from member_progress p join mem on mem.user_id = p.member_id where p.gym_id = ?),
  act as (select x.member_id, json_agg(distinct to_char(x.at at time zone (select time_zone from gym where id = ?), 'YYYY-MM-DD')) as list
            from (select a.member_id, a.at from attendance_event a join mem on mem.user_id = a.member_id where a.gym_id = ? and a.at >= ? and a.at <= ?
                  union all select w.member_id, w.performed_at from workout_log w join mem on mem.user_id = w.member_id
                   where w.gym_id = ? and w.performed_at >= ? and w.performed_at <= ?) x
            left join pr on pr.member_id = x.member_id
           where pr.last_active_day is null or x.at >= pr.last_active_day::timestamp - interval '1 day' group by x.member_id),
  sig as (select w.member_id, json_agg(w.version) as list from waiver_signature w join mem on mem.user_id = w.member_id where w.gym_id = ? group by w.member_id)
  select g.time_zone, g.policy,
    (select json_agg(json_build_array(ses.id, ses.starts_at, ses.check_in_opens_minutes, ses.check_in_closes_minutes) order by ses.n)
       from ses) as sessions,
    null::json as member
  from gym g where g.id = ?
  union all
  select null, null, null,
    json_build_array(mem.user_id, mem.role, mem.status, p.name, p.entitlement, mem.credits, mem.credits_expire_at,
                     u.name, u.email, u.phone, u.visible, mem.notes, con.list, vis.at, bk.sessions, bk.statuses, mem.frozen_until,
                     case when pr.last_active_day is null then null else json_build_array(pr.streak, pr.last_active_day) end, act.list, p.kind, sig.list,
                     mem.plan_starts_on, mem.plan_ends_on, p.class_type_ids)
    from mem join app_user u on u.id = mem.user_id
    left join membership_plan p on p.id = mem.plan_id and p.gym_id = mem.gym_id
    left join con on con.user_id = mem.user_id
    left join vis on vis.member_id = mem.user_id
    left join bk on bk.member_id = mem.user_id
    left join pr on pr.member_id = mem.user_id
    left join act on act.member_id = mem.user_id
    left join sig on sig.member_id = mem.user_id`;
};

function toMember(
  t: MemberTuple,
  required: RequiredConsents | undefined,
  waivers: Pick<GymPolicy, "waiverRequired" | "waiverVersions">,
  sessions: readonly SessionTimes[],
): ResidentMember {
  const [
    memberId,
    role,
    status,
    planName,
    entitlement,
    credits,
    creditsExpireAt,
    name,
    email,
    phone,
    visible,
    notes,
    consents,
    lastOpenGymAt,
    bookingSessions,
    bookingStatuses,
    frozenUntil,
    progress,
    activeDays,
    planKind,
    signedWaivers,
    planStartsOn,
    planEndsOn,
    classTypeIds,
  ] = t;
  const waiver = waiverStanding(waivers, signedWaivers ?? []);
  // The stored streak, stepped over active days it has not counted yet; without one, read off the history.
  const days = activeDays ?? [];
  const streak = progress ? days.sort().reduce(activeOn, { streak: progress[0], lastActiveDay: progress[1] }) : storedStreakOf(days);
  return {
    ...(waiver ? { waiver } : {}),
    memberId,
    role,
    status,
    planName,
    planKind: planName === null ? null : planKind,
    ...(planName === null ? {} : planTerms(planStartsOn, planEndsOn, classTypeIds)),
    entitlement: planName === null ? null : entitlement,
    credits: credits === null ? null : Number(credits),
    creditsExpireAt: instant(creditsExpireAt),
    missingConsents: missingConsents(required, consents ?? []),
    name,
    email,
    phone,
    visible,
    notes,
    lastOpenGymAt: instant(lastOpenGymAt),
    frozenUntil: frozenUntil ?? null,
    streak,
    // Every booked session is in `sessions` (the same gym and `since` filter in the statement).
    bookings: residentBookings(bookingSessions ?? [], bookingStatuses ?? [], sessions),
  };
}

/** A member's bookings, in an object-elements list also when empty (domain/shapes.ts), each built by `residentBooking`. */
function residentBookings(at: readonly number[], statuses: readonly string[], sessions: readonly SessionTimes[]) {
  const out = objectList<ResidentMember["bookings"][number]>();
  for (let i = 0; i < at.length; i++) {
    const t = sessions[at[i]!];
    const status = statuses[i] as ResidentMember["bookings"][number]["status"];
    if (t) out.push(residentBooking(t.id, status, t.startsAt, t.checkInOpensAt, t.checkInClosesAt));
  }
  return out;
}

/** Resident standings over PostgreSQL: a gym in one statement, a few members in one statement. */
export function standingsSource(orm: MikroORM, clock: () => number = Date.now): StandingsSource {
  const read = async (gymId: string, only: string[], since: number) => {
    const at = new Date(since);
    const now = clock();
    const history = [new Date(now - 400 * 86_400_000), new Date(now)];
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<GymRow[]>(STATEMENT(only.length), [
        gymId,
        ...only,
        gymId,
        at,
        gymId,
        at,
        gymId,
        gymId,
        gymId,
        ...history,
        gymId,
        ...history,
        gymId,
        gymId,
      ]);
    const row = rows.find((r: GymRow) => r.member === null);
    if (!row) return null;
    const policy = parsed(row.policy!);
    const required = policy.requiredConsents;
    const tuples: MemberTuple[] = [];
    for (const r of rows) if (r.member !== null) tuples.push(parsed(r.member));
    const sessions: SessionTimes[] = [];
    for (const [id, startsAt, opens, closes] of row.sessions === null ? [] : parsed<SessionTuple[]>(row.sessions)) {
      const at = Date.parse(startsAt);
      sessions.push({ id, startsAt: at, checkInOpensAt: at - opens * 60_000, checkInClosesAt: at + closes * 60_000 });
    }
    const members: ResidentMember[] = [];
    // A whole gym is built a slice at a time, letting other I/O in between: in one piece, building a 250-member gym
    // with 4,000 bookings held the event loop for up to ~10 ms (loaded machine) inside whichever join was in flight.
    for (let i = 0; i < tuples.length; i += SLICE) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      for (const t of tuples.slice(i, i + SLICE)) members.push(toMember(t, required, policy, sessions));
    }
    return { timeZone: row.time_zone!, members, sessionIds: sessions.map((x) => x.id) };
  };
  return {
    loadGym: (gymId, since) => (UuidSchema.safeParse(gymId).success ? read(gymId, [], since) : Promise.resolve(null)),
    async loadMembers(gymId, memberIds, since) {
      // Only UUIDs can name a member (anything else must not reach PostgreSQL as a uuid).
      const ids = memberIds.filter((id) => UuidSchema.safeParse(id).success);
      if (ids.length === 0 || !UuidSchema.safeParse(gymId).success) return [];
      return (await read(gymId, ids, since))?.members ?? [];
    },
    async accessKeys(gymId) {
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<{ user_id: string; role: Role; status: MembershipStatus; plan_name: string | null; credits: number | string | null }[]>(
          `select m.user_id, m.role, m.status, p.name as plan_name, m.credits
             from gym_membership m join app_user u on u.id = m.user_id
             left join membership_plan p on p.id = m.plan_id and p.gym_id = m.gym_id
            where m.gym_id = ?`,
          [gymId],
        );
      return new Map(
        rows.map(
          (r: { user_id: string; role: Role; status: MembershipStatus; plan_name: string | null; credits: number | string | null }) => [
            r.user_id,
            accessKey({ role: r.role, status: r.status, planName: r.plan_name, credits: r.credits === null ? null : Number(r.credits) }),
          ],
        ),
      );
    },
  };
}
