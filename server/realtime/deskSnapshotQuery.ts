/**
 * `gym:deskSnapshot` (issue 21): what a front desk keeps on the device to decide check-ins while offline —
 * today's and tomorrow's sessions with rosters, the gym's members (display name, status, plan; no photo or
 * contact details), the desk rules and the public keys of member codes. Staff only; audited as a read of many
 * people's data (counts only). Two statements, bounded by the gym's size and two days of sessions.
 */
import type { MikroORM } from "@mikro-orm/core";
import { DefaultDeskRules } from "../../domain/checkin/deskDecision.js";
import type { DeskSnapshot, SnapshotMember, SnapshotSession } from "../../domain/checkin/deskSnapshot.js";
import type { MembershipStatus, SessionStatus } from "../../domain/model.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { GymEntity } from "../db/entities/index.js";
import type { MemberCodes } from "./memberCodes.js";
import type { InGym, QueryHandlers } from "./queryHandler.js";

/** At most this many members go to a desk (a gym larger than this needs paging first). */
const MAX_MEMBERS = 20_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

type MemberRow = { member_id: string; name: string; status: MembershipStatus; plan_name: string | null; frozen_until: string | null; last_open: Date | string | null };
type SessionRow = {
  id: string; class_name: string; status: SessionStatus; starts_at: Date | string; check_in_opens_minutes: number; check_in_closes_minutes: number;
  roster: { memberId: string; status: "booked" | "checked_in" }[] | string;
};

const ms = (v: Date | string) => new Date(v).getTime();

export function deskSnapshotQuery(d: { orm: MikroORM; codes: MemberCodes; readAudit: ReadAudit; now: () => number; inGym: InGym }): QueryHandlers {
  return {
    "gym:deskSnapshot": d.inGym("gym:deskSnapshot", true, async ({ userId, gymId, commandId }): Promise<DeskSnapshot> => {
      const now = d.now();
      const em = d.orm.em.fork();
      const conn = em.getConnection();
      const gym = await em.findOneOrFail(GymEntity, { id: gymId }, { fields: ["timeZone"] });
      const today = localDate(now, gym.timeZone);
      const from = startOfLocalDay(today, gym.timeZone);
      const until = startOfLocalDay(addDays(today, 2), gym.timeZone);
      const [members, sessions] = (await Promise.all([
        conn.execute<MemberRow[]>(
          `select u.id as member_id, u.name, m.status, p.name as plan_name, m.frozen_until,
             (select max(a.at) from attendance_event a where a.gym_id = m.gym_id and a.member_id = m.user_id and a.session_id is null and a.at > ?) as last_open
           from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id
           where m.gym_id = ? order by u.name limit ?`,
          [new Date(now - DAY), gymId, MAX_MEMBERS],
        ),
        conn.execute<SessionRow[]>(
          `select s.id, t.name as class_name, s.status, s.starts_at, s.check_in_opens_minutes, s.check_in_closes_minutes,
             coalesce((select json_agg(json_build_object('memberId', b.member_id, 'status', b.status)) from booking b
                       where b.session_id = s.id and b.status in ('booked', 'checked_in')), '[]'::json) as roster
           from class_session s join class_type t on t.id = s.class_type_id
           where s.gym_id = ? and s.starts_at >= ? and s.starts_at < ? order by s.starts_at`,
          [gymId, new Date(from), new Date(until)],
        ),
      ])) as [MemberRow[], SessionRow[]];
      await d.readAudit.record({ gymId, actorId: userId, action: "gym:deskSnapshot", entityType: "desk_snapshot", entityId: null, summary: { members: members.length }, commandId, at: now });
      return {
        gymId,
        takenAt: now,
        rules: DefaultDeskRules,
        keys: d.codes.publicKeys(now).keys.map((k) => ({ kid: String(k.kid), x: String(k.x) })),
        members: members.map((r): SnapshotMember => ({
          memberId: r.member_id, name: r.name, status: r.status, planName: r.plan_name, frozenUntil: r.frozen_until, lastOpenGymAt: r.last_open === null ? null : ms(r.last_open),
        })),
        sessions: sessions.map((r): SnapshotSession => {
          const startsAt = ms(r.starts_at);
          return {
            sessionId: r.id, className: r.class_name, status: r.status, startsAt,
            checkInOpensAt: startsAt - r.check_in_opens_minutes * MINUTE, checkInClosesAt: startsAt + r.check_in_closes_minutes * MINUTE,
            roster: typeof r.roster === "string" ? (JSON.parse(r.roster) as SnapshotSession["roster"]) : r.roster,
          };
        }),
      };
    }),
  };
}
