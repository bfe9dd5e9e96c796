import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { ClassStateEvent, MemberStanding } from "../../domain/class/index.js";
import type { ClassSession, GymMembership, GymPolicy, MembershipPlan } from "../../domain/model.js";
import { waiverStanding, type WaiverStanding } from "../../domain/admin/waivers.js";
import { missingConsents, type RequiredConsents } from "../../domain/privacy.js";
import { isoWeekBounds } from "../../domain/schedule/timeZone.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import type { Person } from "../../domain/views/people.js";
import { stateEvents, storedNotices, type ClassStore, type LoadedMember, type ResidentLookup } from "../../rooms/ClassRoom.js";
import type { InboxNotice } from "../../domain/notices/inbox.js";
import { noticeInsert } from "./noticeRows.js";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import { GymEntity } from "../db/entities/index.js";
import { anchorLater } from "../audit/anchors.js";
import { classAuditRows } from "../audit/commitAudit.js";
import { CommitRefused, commitRoom } from "./roomRecords.js";
import { classChanges } from "./classChanges.js";
import { classSnapshots } from "./classSnapshot.js";
import { StandingConflict } from "../../rooms/ports.js";
import { WeeklyLimitConflict } from "./standingGuards.js";
import { applySoon, outboxInsert } from "./outbox.js";
import { trainingEffects } from "./trainingHooks.js";

/** What the training effects need of the state the batch started from. */
const trainingBase = (base: ClassRoomState) => ({
  gymId: base.cls.session.gymId,
  timeZone: base.cls.timeZone,
  attendance: base.cls.attendance,
  resultIds: new Set(base.cls.board.results.map((r) => r.id)),
  workoutTitle: base.cls.board.workout?.title ?? null,
});

/** Thrown when a member's credits changed under the room (another class used them): the batch is refused and the room reloads. */
export class CreditsConflict extends StandingConflict {}

export interface StoreDeps {
  orm: MikroORM;
  nodeId: string;
  now: () => number;
  idempotencyWindowMs: number;
  /** A commit's side effects failed to apply right after it (the outbox sweep applies them later). */
  onSideEffectError?: (err: unknown) => void;
  /** Notices were committed (the delivery outbox sends them now; its sweep retries what this misses). */
  onNotices?: (notices: readonly InboxNotice[]) => void;
  /** Leave side effects to the outbox sweep instead of applying them after each commit (as a node that dies right after its commit would; tests). */
  sweepOnly?: boolean;
}

/** After a commit with an outbox row: apply it now, in the background (unless the sweep is to). */
export function afterCommit(deps: StoreDeps, outbox: { id: string } | null): void {
  if (outbox && !deps.sweepOnly) applySoon(deps.orm, outbox.id, deps.onSideEffectError);
}

/** One member's row of the standings statement, as the driver returns it. */
interface StandingRow {
  user_id: string;
  gym_id: string;
  role: GymMembership["role"];
  status: GymMembership["status"];
  plan_id: string | null;
  credits: number | string | null;
  credits_expire_at: Date | string | null;
  notes: string;
  found_user: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  visible: boolean | null;
  entitlement: MembershipPlan["entitlement"] | null;
  plan_kind: string | null;
  consents: { kind: string; version: string }[];
  signed_waivers: string[] | string;
  week_count: string | number;
}

/** The member's waiver standing, when the gym enforces its waiver. */
function waiverOf(policy: GymPolicy, signed: string[] | string): { waiver?: WaiverStanding } {
  const waiver = waiverStanding(policy, typeof signed === "string" ? (JSON.parse(signed) as string[]) : signed);
  return waiver ? { waiver } : {};
}

const instant = (v: Date | string | null): number | null => (v === null ? null : v instanceof Date ? v.getTime() : Date.parse(v));

/**
 * Standings of members in one gym for a session — membership, plan entitlement, credits, their other
 * bookings in the session's week, missing consents — and who they are, in ONE statement: a batch of
 * read-ahead standings (a storm of bookings) is one round trip.
 */
async function standings(em: EntityManager, session: ClassSession, timeZone: string, memberIds: string[], policy: GymPolicy) {
  const required: RequiredConsents | undefined = policy.requiredConsents;
  if (memberIds.length === 0) return { standings: {}, people: {} };
  const week = isoWeekBounds(session.startsAt, timeZone);
  // Plain columns, mapped by hand: this runs for every batch of a booking storm, and entity mapping was its main cost.
  const rows = await em.getConnection().execute<StandingRow[]>(
    `select m.user_id, m.gym_id, m.role, m.status, m.plan_id, m.credits, m.credits_expire_at, m.notes,
            u.id as found_user, u.name, u.email, u.phone, u.visible, p.entitlement, p.kind as plan_kind,
            coalesce((select json_agg(json_build_object('kind', c.kind, 'version', c.version)) from consent c where c.user_id = m.user_id), '[]'::json) as consents,
            coalesce((select json_agg(w.version) from waiver_signature w where w.gym_id = m.gym_id and w.member_id = m.user_id), '[]'::json) as signed_waivers,
            -- Only a weekly plan needs the count (CASE skips the subquery for everyone else: a hydrate of 250
            -- members with many bookings each spent most of its time counting weeks nobody asked about).
            case when p.entitlement->>'kind' = 'weekly' then
              (select count(*) from booking b join class_session s on s.id = b.session_id
                where b.gym_id = m.gym_id and b.member_id = m.user_id and b.session_id <> ?
                  and b.status in ('booked', 'checked_in', 'late_cancelled', 'no_show') and s.starts_at >= ? and s.starts_at < ?)
            else 0 end as week_count
       from gym_membership m
       left join app_user u on u.id = m.user_id
       left join membership_plan p on p.id = m.plan_id and p.gym_id = m.gym_id
      where m.gym_id = ? and m.user_id in (${memberIds.map(() => "?").join(",")})`,
    [session.id, new Date(week.start), new Date(week.end), session.gymId, ...memberIds],
  );
  const out: Record<string, MemberStanding> = {};
  const people: Record<string, Person> = {};
  for (const r of rows) {
    out[r.user_id] = {
      memberId: r.user_id,
      gymId: r.gym_id,
      role: r.role,
      status: r.status,
      entitlement: r.plan_id ? r.entitlement : null,
      credits: r.credits === null ? null : Number(r.credits),
      creditsExpireAt: instant(r.credits_expire_at),
      bookingsThisWeek: Number(r.week_count),
      missingConsents: missingConsents(required, r.consents),
      ...waiverOf(policy, r.signed_waivers),
    };
    if (r.found_user) {
      people[r.user_id] = {
        name: r.name!,
        email: r.email!,
        phone: r.phone,
        visible: r.visible!,
        membershipStatus: r.status,
        notes: r.notes,
        ...(r.plan_id && r.plan_kind === "trial" ? { trial: true } : {}),
      };
    }
  }
  return { standings: out, people };
}

/** Standings and people of `ids` as the resident copy holds them (members absent from the gym are left out). */
async function fromResident(resident: ResidentLookup, session: ClassSession, ids: string[]) {
  const found = await resident(session, ids);
  const members: Record<string, MemberStanding> = {};
  const people: Record<string, Person> = {};
  for (const [id, m] of found) {
    members[id] = m.standing;
    people[id] = m.person;
  }
  return { standings: members, people };
}

/** Class rooms over MikroORM: each commit is one unit of work in one transaction, compare-and-setting the room's version. */
export function classStore(deps: StoreDeps): ClassStore {
  const { orm } = deps;
  const snapshotOf = classSnapshots(orm, () => deps.now() - deps.idempotencyWindowMs);
  /**
   * One fork for every room's commit statement: a batch's unit of work is built, turned into statement parts and
   * cleared synchronously (nothing awaits in between, so two rooms never share its contents), and a fork per commit
   * was a sixth of the statement's building cost. The statement then runs on the pool like any other.
   */
  const builder = orm.em.fork();
  const changesOf = (base: ClassRoomState, events: ClassStateEvent[], now: number) => {
    builder.clear();
    try {
      return classChanges(builder, base, events, now);
    } finally {
      builder.clear();
    }
  };
  return {
    async loadClass(room, sessionId, resident) {
      // One read, no write (shared with rooms loading at the same time): a previous owner's commit that lands after
      // it moves the version, and this room's first commit (a compare-and-set of the version read here) then fails
      // and decides again.
      const snapshot = await snapshotOf(room, sessionId);
      if (!snapshot) return null;
      const { session, mark, gym, type, location, roomName, bookings, waitlist, fees, checkIns, attendance, workout, results } = snapshot;
      const ids = [
        ...new Set([...bookings.map((b) => b.memberId), ...waitlist.map((w) => w.memberId), ...(session.coachId ? [session.coachId] : [])]),
      ];
      // Members' standings from the gym's resident copy when the node keeps one (memory), else in one statement.
      const { standings: members, people } = resident
        ? await fromResident(resident, session, ids)
        : await standings(orm.em.fork(), session, gym.timeZone, ids, gym.policy);
      const coach = session.coachId ? (people[session.coachId]?.name ?? null) : null;
      const plain = <T extends object>(xs: T[]) => xs.map((x) => ({ ...x }));
      return {
        ...mark,
        state: {
          cls: {
            session: { ...session },
            timeZone: gym.timeZone,
            feePolicy: {
              currency: gym.policy.currency,
              lateCancelFeeCents: gym.policy.lateCancelFeeCents,
              noShowFeeCents: gym.policy.noShowFeeCents,
            },
            bookings: plain(bookings),
            waitlist: plain(waitlist),
            members,
            fees: plain(fees),
            checkIns: plain(checkIns),
            attendance: plain(attendance),
            board: { workout: workout ? { ...workout } : null, results: plain(results) },
          },
          labels: {
            className: type?.name ?? "Class",
            color: type?.color ?? "#888888",
            locationName: location?.name ?? "",
            coachName: coach,
            roomName,
          },
          people,
        },
      };
    },

    async loadMembers(session, memberIds) {
      const em = orm.em.fork();
      const found = new Map<string, LoadedMember>();
      // Only UUIDs can name a member; anything else is nobody (and must not reach PostgreSQL as a uuid).
      const ids = memberIds.filter((id) => UuidSchema.safeParse(id).success);
      if (ids.length === 0) return found;
      const gym = await em.findOne(GymEntity, { id: session.gymId });
      if (!gym) return found;
      const { standings: s, people } = await standings(em, session, gym.timeZone, ids, gym.policy);
      for (const id of ids) {
        const standing = s[id];
        const p = people[id];
        if (standing && p) found.set(id, { standing, person: p });
      }
      return found;
    },

    async commitClass(room, base, changes, processed, mark) {
      const now = deps.now();
      const events = stateEvents(changes);
      const notices = storedNotices(changes);
      const audit = classAuditRows(room, mark.audit, base.cls, events, processed, now);
      // ONE statement, one round trip: the room's own records (version check, answered commands, audit rows),
      // every entity change (from the unit of work's change sets), the credit and weekly guards, the outbox row.
      // No lock shared with other rooms. Streaks, milestones, XP, challenges and boards: the outbox row, applied right after.
      const effects = trainingEffects(trainingBase(base), events, now);
      const outbox = effects ? outboxInsert(room, effects) : null;
      const { writes, guards } = changesOf(base, events, now);
      const all = [
        ...writes,
        ...(outbox ? [{ name: "outbox", ...outbox }] : []),
        ...(notices.length > 0 ? [noticeInsert(notices, now)] : []),
      ];
      let next;
      try {
        const records = { room, mark, nodeId: deps.nodeId, now, processed, audit, writes: all, guards };
        const { collected: _none, ...committed } = await commitRoom(builder, records);
        next = committed;
      } catch (err) {
        if (!(err instanceof CommitRefused)) throw err;
        const gymId = base.cls.session.gymId;
        if (err.kind === "weekly")
          throw new WeeklyLimitConflict(gymId, err.memberIds, `weekly limit of ${err.memberIds.join(",")} reached concurrently`);
        throw new CreditsConflict(gymId, err.memberIds, `credits of ${err.memberIds.join(", ")} changed concurrently`);
      }
      anchorLater(orm, base.cls.session.gymId, room, next.audit);
      afterCommit(deps, outbox);
      if (notices.length > 0) deps.onNotices?.(notices);
      return next;
    },
  };
}
