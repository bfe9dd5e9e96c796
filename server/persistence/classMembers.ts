/**
 * Who a loading class room's members are (the people its roster shows) and their standings (what its decisions
 * need): from the gym's resident copy, or from PostgreSQL in one statement; or only who they are, for a room that
 * answers views while the gym's members are still loading (`ClassRoom.complete` reads the standings before deciding).
 */
import type { EntityManager } from "@mikro-orm/core";
import type { MemberStanding, PlanTerms } from "../../domain/class/index.js";
import type { ClassSession, GymMembership, GymPolicy, MembershipPlan } from "../../domain/model.js";
import { waiverStanding, type WaiverStanding } from "../../domain/admin/waivers.js";
import { missingConsents, type RequiredConsents } from "../../domain/privacy.js";
import { isoWeekBounds } from "../../domain/schedule/timeZone.js";
import type { Person } from "../../domain/views/people.js";
import type { ResidentLookup } from "../../rooms/ClassRoom.js";

/** Who a member is, as the statements return it. */
export interface PersonRow {
  user_id: string;
  status: GymMembership["status"];
  plan_id: string | null;
  notes: string;
  found_user: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  visible: boolean | null;
  plan_kind: string | null;
}

/** The person a roster line shows (only for a member whose user row exists). */
export const personOf = (r: PersonRow): Person => ({
  name: r.name!,
  email: r.email!,
  phone: r.phone,
  visible: r.visible!,
  membershipStatus: r.status,
  notes: r.notes,
  ...(r.plan_id && r.plan_kind === "trial" ? { trial: true } : {}),
});

/** One member's row of the standings statement, as the driver returns it. */
interface StandingRow extends PersonRow {
  gym_id: string;
  role: GymMembership["role"];
  credits: number | string | null;
  credits_expire_at: Date | string | null;
  entitlement: MembershipPlan["entitlement"] | null;
  consents: { kind: string; version: string }[];
  signed_waivers: string[] | string;
  week_count: string | number;
  plan_starts_on: string | null;
  plan_ends_on: string | null;
  class_type_ids: string[] | string | null;
}

/** The member's waiver standing, when the gym enforces its waiver. */
function waiverOf(policy: GymPolicy, signed: string[] | string): { waiver?: WaiverStanding } {
  const waiver = waiverStanding(policy, typeof signed === "string" ? (JSON.parse(signed) as string[]) : signed);
  return waiver ? { waiver } : {};
}

/**
 * A plan's days and class types as the rooms judge bookings by them (`class_type_ids` may arrive as JSON text), as a
 * standing's `plan` — left out when the plan limits nothing (no days, every type), as a standing without one reads.
 */
export function planTerms(startsOn: string | null, endsOn: string | null, classTypeIds: string[] | string | null): { plan?: PlanTerms } {
  const types = typeof classTypeIds === "string" ? (JSON.parse(classTypeIds) as string[]) : (classTypeIds ?? []);
  if (!startsOn && !endsOn && types.length === 0) return {};
  return { plan: { startsOn: startsOn ?? null, endsOn: endsOn ?? null, classTypeIds: types } };
}

const instant = (v: Date | string | null): number | null => (v === null ? null : v instanceof Date ? v.getTime() : Date.parse(v));

/**
 * Standings of members in one gym for a session — membership, plan entitlement, credits, their other
 * bookings in the session's week, missing consents — and who they are, in ONE statement: a batch of
 * read-ahead standings (a storm of bookings) is one round trip.
 */
export async function standings(em: EntityManager, session: ClassSession, timeZone: string, memberIds: string[], policy: GymPolicy) {
  const required: RequiredConsents | undefined = policy.requiredConsents;
  if (memberIds.length === 0) return { standings: {}, people: {} };
  const week = isoWeekBounds(session.startsAt, timeZone);
  // Plain columns, mapped by hand: this runs for every batch of a booking storm, and entity mapping was its main cost.
  const rows = await em.getConnection().execute<StandingRow[]>(
    `select m.user_id, m.gym_id, m.role, m.status, m.plan_id, m.credits, m.credits_expire_at, m.notes,
            u.id as found_user, u.name, u.email, u.phone, u.visible, p.entitlement, p.kind as plan_kind,
            m.plan_starts_on, m.plan_ends_on, p.class_type_ids,
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
      ...(r.plan_id ? planTerms(r.plan_starts_on, r.plan_ends_on, r.class_type_ids) : {}),
      credits: r.credits === null ? null : Number(r.credits),
      creditsExpireAt: instant(r.credits_expire_at),
      bookingsThisWeek: Number(r.week_count),
      missingConsents: missingConsents(required, r.consents),
      ...waiverOf(policy, r.signed_waivers),
    };
    if (r.found_user) people[r.user_id] = personOf(r);
  }
  return { standings: out, people };
}

/** Standings and people of `ids` as the resident copy holds them (members absent from the gym are left out). */
export function fromResident(resident: ResidentLookup, session: ClassSession, ids: string[]) {
  return resident.roster(session, ids);
}

/** The columns of a {@link PersonRow}, over `gym_membership m`, `app_user u` and `membership_plan p` (see {@link PEOPLE_FROM}). */
export const PERSON_COLUMNS =
  "m.user_id, m.status, m.plan_id, m.notes, u.id as found_user, u.name, u.email, u.phone, u.visible, p.kind as plan_kind";
export const PEOPLE_FROM = `gym_membership m
       left join app_user u on u.id = m.user_id
       left join membership_plan p on p.id = m.plan_id and p.gym_id = m.gym_id`;

/** People by member id, from rows of {@link PERSON_COLUMNS} (a member without a user row is nobody to show). */
export function peopleOf(rows: readonly PersonRow[]): Record<string, Person> {
  return Object.fromEntries(rows.flatMap((r) => (r.found_user ? [[r.user_id, personOf(r)] as const] : [])));
}

/** Only who the members are (one small statement): the roster of a room whose standings come later. */
export async function classPeople(em: EntityManager, gymId: string, memberIds: string[]): Promise<Record<string, Person>> {
  if (memberIds.length === 0) return {};
  const rows = await em
    .getConnection()
    .execute<PersonRow[]>(
      `select ${PERSON_COLUMNS} from ${PEOPLE_FROM} where m.gym_id = ? and m.user_id in (${memberIds.map(() => "?").join(",")})`,
      [gymId, ...memberIds],
    );
  return peopleOf(rows);
}
