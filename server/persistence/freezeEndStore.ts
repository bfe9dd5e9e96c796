/**
 * The freeze-end job's store (`app/admin/freezeEnds.ts`) over PostgreSQL: which gyms have a freeze past its last day,
 * and ending them for one gym in one transaction — held by one runner (a transaction-scoped advisory lock, taken
 * without waiting) and idempotent besides (a conditional update: a freeze already ended is not matched again).
 */
import type { MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { EndedFreeze, FreezeEndStore } from "../../app/admin/freezeEnds.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { joinNotices } from "./noticeJoin.js";

/** Most freezes one gym ends per pass (the next pass ends the rest). */
const MEMBERS_PER_GYM = 1_000;

export function freezeEndStore(orm: MikroORM): FreezeEndStore {
  return {
    async dueGyms(now, limit) {
      // The gym's local date at `now`, in SQL as in `localDate`; the partial index on frozen memberships keeps this small.
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<{ id: string; time_zone: string }[]>(
          `select g.id, g.time_zone from gym g
            where exists (select 1 from gym_membership m where m.gym_id = g.id and m.status = 'frozen' and m.frozen_until is not null
                            and m.frozen_until < to_char(?::timestamptz at time zone g.time_zone, 'YYYY-MM-DD'))
            order by g.id limit ?`,
          [new Date(now), limit],
        );
      return rows.map((r: { id: string; time_zone: string }) => ({ gymId: r.id, timeZone: r.time_zone }));
    },

    async endFreezes(gymId, today, now, within) {
      const after: (() => void)[] = [];
      const ended = await orm.em.fork().transactional(async (tx) => {
        const conn = tx.getConnection();
        const ctx = tx.getTransactionContext();
        const [lock] = await conn.execute<{ held: boolean }[]>(
          `select pg_try_advisory_xact_lock(hashtext(?)) as held`,
          [`freeze-end:${gymId}`],
          "all",
          ctx,
        );
        if (!lock?.held) return null;
        const rows = await conn.execute<{ user_id: string; frozen_until: string }[]>(
          `with due as (select id, frozen_until from gym_membership
                         where gym_id = ? and status = 'frozen' and frozen_until is not null and frozen_until < ?
                         order by frozen_until, id limit ${MEMBERS_PER_GYM} for update)
           update gym_membership m set status = 'active', frozen_until = null, freeze_reason = ''
             from due where m.id = due.id and m.status = 'frozen'
           returning m.user_id, due.frozen_until`,
          [gymId, today],
          "all",
          ctx,
        );
        const done: EndedFreeze[] = rows.map((r: { user_id: string; frozen_until: string }) => ({
          memberId: r.user_id,
          frozenUntil: r.frozen_until,
        }));
        const audits: AdminAudit[] = [];
        await within(done, { notices: joinNotices(tx, after), audit: (a) => void audits.push(a) });
        // Spotter's own rows (no actor), last: the audit writer holds the gym's chain lock until commit.
        for (const a of audits) await auditStaffWrite(tx, { gymId, actorId: null, commandId: null, at: now, ...a });
        return done;
      });
      for (const run of after) run();
      return ended;
    },
  };
}
