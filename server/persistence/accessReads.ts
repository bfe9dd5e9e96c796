/** The access check's reads (`app/access/accessReads.ts`) in plain SQL: one statement per batch, no entity mapping. */
import type { MikroORM } from "@mikro-orm/core";
import type { AccessReads } from "../../app/access/accessReads.js";
import type { MembershipStatus, Role } from "../../domain/model.js";

export function accessReads(orm: MikroORM): AccessReads {
  const connection = () => orm.em.getConnection();
  const marks = (n: number) => Array.from({ length: n }, () => "?").join(",");
  return {
    async sessionGyms(ids) {
      const rows = await connection().execute<{ id: string; gym_id: string }[]>(
        `select id, gym_id from class_session where id in (${marks(ids.length)})`,
        [...ids],
      );
      return rows.map((r: { id: string; gym_id: string }) => ({ id: String(r.id), gymId: r.gym_id }));
    },
    async memberships(gymId, userIds) {
      const rows = await connection().execute<{ user_id: string; role: Role; status: MembershipStatus }[]>(
        `select user_id, role, status from gym_membership where gym_id = ? and user_id in (${marks(userIds.length)})`,
        [gymId, ...userIds],
      );
      return rows.map((r: { user_id: string; role: Role; status: MembershipStatus }) => ({
        userId: String(r.user_id),
        role: r.role,
        status: r.status,
      }));
    },
  };
}
