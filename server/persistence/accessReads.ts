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
    async sessionMemberships(asked) {
      type Row = { session_id: string; user_id: string; gym_id: string; role: Role | null; status: MembershipStatus | null };
      const rows = await connection().execute<Row[]>(
        `select s.id as session_id, r.user_id, s.gym_id, m.role, m.status
           from (values ${asked.map(() => "(?::uuid, ?::uuid)").join(", ")}) as r(session_id, user_id)
           join class_session s on s.id = r.session_id
           left join gym_membership m on m.gym_id = s.gym_id and m.user_id = r.user_id`,
        asked.flatMap((a) => [a.sessionId, a.userId]),
      );
      return rows.map((r: Row) => ({
        sessionId: String(r.session_id),
        userId: String(r.user_id),
        gymId: r.gym_id,
        membership: r.role === null || r.status === null ? null : { role: r.role, status: r.status },
      }));
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
