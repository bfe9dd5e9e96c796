/** The offline desk snapshot's {@link DeskSnapshotReads} over PostgreSQL: two statements, bounded by the gym's size and two days of sessions. */
import type { MikroORM } from "@mikro-orm/core";
import type { DeskSnapshotReads } from "../../app/desk/deskSnapshot.js";
import type { SnapshotSession } from "../../domain/checkin/deskSnapshot.js";
import type { MembershipStatus, SessionStatus } from "../../domain/model.js";
import { GymEntity } from "../db/entities/index.js";

type MemberRow = {
  member_id: string;
  name: string;
  status: MembershipStatus;
  plan_name: string | null;
  frozen_until: string | null;
  last_open: Date | string | null;
  signed: string[] | string | null;
};
type SessionRow = {
  id: string;
  class_name: string;
  status: SessionStatus;
  starts_at: Date | string;
  check_in_opens_minutes: number;
  check_in_closes_minutes: number;
  roster: { memberId: string; status: "booked" | "checked_in" }[] | string;
};

const MINUTE = 60_000;
const ms = (v: Date | string) => new Date(v).getTime();

export function deskSnapshotReads(orm: MikroORM): DeskSnapshotReads {
  const conn = () => orm.em.fork().getConnection();
  return {
    async gym(gymId) {
      const g = await orm.em.fork().findOneOrFail(GymEntity, { id: gymId }, { fields: ["timeZone", "policy"] });
      return { timeZone: g.timeZone, waiverRequired: g.policy.waiverRequired, waiverVersions: g.policy.waiverVersions };
    },

    async members(gymId, openSince, max) {
      const rows = (await conn().execute<MemberRow[]>(
        `select u.id as member_id, u.name, m.status, p.name as plan_name, m.frozen_until,
           (select max(a.at) from attendance_event a where a.gym_id = m.gym_id and a.member_id = m.user_id and a.session_id is null and a.at > ?) as last_open,
           (select json_agg(w.version) from waiver_signature w where w.gym_id = m.gym_id and w.member_id = m.user_id) as signed
         from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id
         where m.gym_id = ? order by u.name limit ?`,
        [new Date(openSince), gymId, max],
      )) as MemberRow[];
      return rows.map((r) => ({
        memberId: r.member_id,
        name: r.name,
        status: r.status,
        planName: r.plan_name,
        frozenUntil: r.frozen_until,
        lastOpenGymAt: r.last_open === null ? null : ms(r.last_open),
        signedWaivers: r.signed === null ? [] : typeof r.signed === "string" ? (JSON.parse(r.signed) as string[]) : r.signed,
      }));
    },

    async sessions(gymId, from, until) {
      const rows = (await conn().execute<SessionRow[]>(
        `select s.id, t.name as class_name, s.status, s.starts_at, s.check_in_opens_minutes, s.check_in_closes_minutes,
           coalesce((select json_agg(json_build_object('memberId', b.member_id, 'status', b.status)) from booking b
                     where b.session_id = s.id and b.status in ('booked', 'checked_in')), '[]'::json) as roster
         from class_session s join class_type t on t.id = s.class_type_id
         where s.gym_id = ? and s.starts_at >= ? and s.starts_at < ? order by s.starts_at`,
        [gymId, new Date(from), new Date(until)],
      )) as SessionRow[];
      return rows.map((r): SnapshotSession => {
        const startsAt = ms(r.starts_at);
        return {
          sessionId: r.id,
          className: r.class_name,
          status: r.status,
          startsAt,
          checkInOpensAt: startsAt - r.check_in_opens_minutes * MINUTE,
          checkInClosesAt: startsAt + r.check_in_closes_minutes * MINUTE,
          roster: typeof r.roster === "string" ? (JSON.parse(r.roster) as SnapshotSession["roster"]) : r.roster,
        };
      });
    },
  };
}
