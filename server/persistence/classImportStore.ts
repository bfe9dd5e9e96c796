/**
 * The classes import's reads (`app/admin/classImport.ts`) over PostgreSQL, batched (a JSON array per statement). The
 * classes themselves are written by `importClasses` through the set-up store.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { ClassImportReads } from "../../app/admin/classImport.js";
import { chunks, gymZone, statements } from "./importTransaction.js";

export function classImportStore(orm: Pick<MikroORM, "em">): { read<T>(work: (r: ClassImportReads) => Promise<T>): Promise<T> } {
  return {
    read: (work) =>
      orm.em.fork().transactional((tx) => {
        const { all } = statements(tx);
        return work({
          gym: (gymId) => gymZone(tx, gymId),
          async place(gymId) {
            const classTypes = await all<{ id: string; name: string }>(`select id, name from class_type where gym_id = ?`, [gymId]);
            const locations = await all<{ id: string; name: string }>(`select id, name from location where gym_id = ? and not archived`, [
              gymId,
            ]);
            const rooms = await all<{ id: string; location_id: string; name: string }>(
              `select id, location_id, name from location_room where gym_id = ? and not archived`,
              [gymId],
            );
            return { classTypes, locations, rooms: rooms.map((r) => ({ id: r.id, locationId: r.location_id, name: r.name })) };
          },
          async existing(gymId, wanted) {
            const found = new Set<string>();
            for (const part of chunks(wanted)) {
              const rows = await all<{ class_type_id: string; starts_at: Date; location_id: string }>(
                `select s.class_type_id, s.starts_at, s.location_id
                   from class_session s join json_to_recordset(?::json) as x(class_type_id uuid, starts_at timestamptz, location_id uuid)
                     on s.class_type_id = x.class_type_id and s.starts_at = x.starts_at and s.location_id = x.location_id
                  where s.gym_id = ?`,
                [
                  JSON.stringify(
                    part.map((w) => ({
                      class_type_id: w.classTypeId,
                      starts_at: new Date(w.startsAt).toISOString(),
                      location_id: w.locationId,
                    })),
                  ),
                  gymId,
                ],
              );
              for (const r of rows) found.add(`${r.class_type_id}|${new Date(r.starts_at).getTime()}|${r.location_id}`);
            }
            return found;
          },
        });
      }),
  };
}
