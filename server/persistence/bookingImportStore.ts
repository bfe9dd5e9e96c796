/**
 * The bookings import's reads (`app/admin/bookingImport.ts`) over PostgreSQL, batched (a JSON array per statement),
 * and its one audit row. The bookings themselves are written by the class rooms.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { BookingImportReads, BookingImportStore } from "../../app/admin/bookingImport.js";
import { chunks, gymZone, importTransaction, statements } from "./importTransaction.js";

const MINUTE = 60_000;

function reads(tx: EntityManager): BookingImportReads {
  const { all } = statements(tx);
  return {
    gym: (gymId) => gymZone(tx, gymId),
    classTypes: (gymId) => all<{ id: string; name: string }>(`select id, name from class_type where gym_id = ?`, [gymId]),
    async classes(gymId, wanted) {
      const keys = [...new Map(wanted.map((w) => [`${w.classTypeId}@${w.startsAt}`, w])).values()];
      const out = [];
      for (const part of chunks(keys)) {
        const rows = await all<{
          id: string;
          class_type_id: string;
          starts_at: Date;
          status: string;
          capacity: number;
          booking_opens_minutes: number;
          booking_closes_minutes: number;
          taken: number;
        }>(
          `select s.id, s.class_type_id, s.starts_at, s.status, s.capacity, s.booking_opens_minutes, s.booking_closes_minutes,
                  (select count(*) from booking b where b.session_id = s.id and b.status in ('booked', 'checked_in')) as taken
             from class_session s join json_to_recordset(?::json) as x(class_type_id uuid, starts_at timestamptz)
               on s.class_type_id = x.class_type_id and s.starts_at = x.starts_at
            where s.gym_id = ?`,
          [JSON.stringify(part.map((w) => ({ class_type_id: w.classTypeId, starts_at: new Date(w.startsAt).toISOString() }))), gymId],
        );
        for (const r of rows) {
          const startsAt = new Date(r.starts_at).getTime();
          out.push({
            sessionId: r.id,
            classTypeId: r.class_type_id,
            startsAt,
            status: r.status,
            capacity: Number(r.capacity),
            bookingOpensAt: startsAt - Number(r.booking_opens_minutes) * MINUTE,
            bookingClosesAt: startsAt - Number(r.booking_closes_minutes) * MINUTE,
            taken: Number(r.taken),
          });
        }
      }
      return out;
    },
    async members(gymId, emails) {
      const found = new Map<string, { memberId: string; name: string; status: string }>();
      for (const part of chunks([...new Set(emails)])) {
        const rows = await all<{ id: string; email: string; name: string; status: string }>(
          `select u.id, lower(u.email) as email, u.name, m.status from app_user u join gym_membership m on m.user_id = u.id and m.gym_id = ?
            where lower(u.email) in (select value from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) found.set(r.email, { memberId: r.id, name: r.name, status: r.status });
      }
      return found;
    },
    async booked(gymId, sessionIds) {
      const live = new Set<string>();
      for (const part of chunks(sessionIds)) {
        const rows = await all<{ session_id: string; member_id: string }>(
          `select session_id, member_id from booking
            where gym_id = ? and status in ('booked', 'checked_in') and session_id in (select value::uuid from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) live.add(`${r.session_id}:${r.member_id}`);
      }
      return live;
    },
    async waiting(gymId, sessionIds) {
      const places = new Set<string>();
      for (const part of chunks(sessionIds)) {
        const rows = await all<{ session_id: string; member_id: string }>(
          `select session_id, member_id from waitlist_entry
            where gym_id = ? and status in ('waiting', 'offered') and session_id in (select value::uuid from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) places.add(`${r.session_id}:${r.member_id}`);
      }
      return places;
    },
  };
}

export function bookingImportStore(orm: MikroORM): BookingImportStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(reads(tx))),
    async audit(actor, a) {
      await importTransaction(
        orm,
        actor,
        "booking",
        (_tx, audits) => audits,
        async (audits) => void audits.push(a),
      );
    },
  };
}
