/** {@link ExportStore} over PostgreSQL: the rows of the staff exports, a member's own data and their calendar feed. */
import type { MikroORM } from "@mikro-orm/core";
import type { ExportStore } from "../../app/exports/ports.js";
import { BookingEntity, CalendarFeedEntity, ClassSessionEntity, ClassTypeEntity, GymEntity, LocationEntity } from "../db/entities/index.js";
import { exportUserJson } from "./privacyExport.js";

const ms = (v: unknown) => new Date(v as string).getTime();

export function exportStore(orm: MikroORM): ExportStore {
  return {
    members: async (gymId) => {
      const rows: Record<string, unknown>[] = await orm.em
        .fork()
        .getConnection()
        .execute(
          `select u.name, u.email, u.phone, m.role, m.status, p.name as plan, m.credits, m.joined_at
         from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id
         where m.gym_id = ? order by u.name`,
          [gymId],
        );
      return rows.map((r) => ({
        name: r.name as string,
        email: r.email as string,
        phone: r.phone as string | null,
        role: r.role as string,
        status: r.status as string,
        plan: r.plan as string | null,
        credits: r.credits as number | null,
        joinedAt: ms(r.joined_at),
      }));
    },
    attendance: async (gymId, before) => {
      const rows: Record<string, unknown>[] = await orm.em
        .fork()
        .getConnection()
        .execute(
          `select s.starts_at, t.name as class_name, u.name, u.email, b.status
         from booking b join class_session s on s.id = b.session_id join class_type t on t.id = s.class_type_id join app_user u on u.id = b.member_id
         where b.gym_id = ? and s.starts_at < ? and b.status in ('checked_in', 'no_show', 'booked', 'late_cancelled')
         order by s.starts_at desc limit 100000`,
          [gymId, new Date(before)],
        );
      return rows.map((r) => ({
        startsAt: ms(r.starts_at),
        className: r.class_name as string,
        name: r.name as string,
        email: r.email as string,
        status: r.status as string,
      }));
    },
    userData: (userId, now) => exportUserJson(orm, userId, now),
    calendar: async (token, since) => {
      const em = orm.em.fork();
      const feed = await em.findOne(CalendarFeedEntity, { token });
      if (!feed) return null;
      const bookings = await em.find(BookingEntity, { memberId: feed.userId, status: { $in: ["booked", "checked_in"] } }, { limit: 500 });
      const sessions = bookings.length
        ? await em.find(ClassSessionEntity, { id: { $in: bookings.map((b) => b.sessionId) }, startsAt: { $gte: since } })
        : [];
      const gymIds = [...new Set(sessions.map((s) => s.gymId))];
      const [types, locations, gyms] = gymIds.length
        ? await Promise.all([
            em.find(ClassTypeEntity, { gymId: { $in: gymIds } }),
            em.find(LocationEntity, { gymId: { $in: gymIds } }),
            em.find(GymEntity, { id: { $in: gymIds } }),
          ])
        : [[], [], []];
      return sessions.map((s) => ({
        bookingId: bookings.find((b) => b.sessionId === s.id)!.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        className: types.find((t) => t.id === s.classTypeId)?.name ?? "Class",
        where: [locations.find((l) => l.id === s.locationId)?.name, gyms.find((g) => g.id === s.gymId)?.name].filter(Boolean).join(", "),
        cancelled: s.status === "cancelled",
      }));
    },
  };
}
