/** The admin store's count of what a settings change reaches (`app/admin/ports.ts` AdminTx `classReach`): one query. */
import type { EntityManager } from "@mikro-orm/core";
import type { ClassReach } from "../../domain/admin/settingsPreview.js";

type Row = { open_classes: string; open_bookings: string; upcoming_classes: string; upcoming_bookings: string };

/**
 * Classes of the gym still scheduled (not closed or cancelled) and their bookings, and of those the classes yet to
 * start. Bounded by the gym's own timetable, counted on the (gym, start) and (session) indexes; no row leaves the database.
 */
export async function classReach(tx: EntityManager, gymId: string, now: number): Promise<ClassReach> {
  const rows = await tx.getConnection().execute<Row[]>(
    `select count(*) as open_classes,
            coalesce(sum(b.booked), 0) as open_bookings,
            count(*) filter (where s.starts_at >= ?) as upcoming_classes,
            coalesce(sum(b.live) filter (where s.starts_at >= ?), 0) as upcoming_bookings
       from class_session s
       left join lateral (
         select count(*) filter (where status = 'booked') as booked,
                count(*) filter (where status in ('booked', 'checked_in')) as live
           from booking where session_id = s.id
       ) b on true
      where s.gym_id = ? and s.status = 'scheduled'`,
    [new Date(now), new Date(now), gymId],
    "all",
    tx.getTransactionContext(),
  );
  const r = rows[0];
  const n = (v: string | undefined) => Number(v ?? 0);
  return {
    open: { classes: n(r?.open_classes), bookings: n(r?.open_bookings) },
    upcoming: { classes: n(r?.upcoming_classes), bookings: n(r?.upcoming_bookings) },
  };
}
