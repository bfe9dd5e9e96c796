/**
 * The plans import's store (`app/admin/holdingImport.ts`) over PostgreSQL: batched reads and writes (a JSON array of
 * rows per statement), the members' rows locked before their credits move, and credits moved through the ledger's one
 * statement (`moveCredits`: the cached balance and its entry together, never below 0).
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import { randomUUID } from "node:crypto";
import type { HoldingImportStore, HoldingImportTx } from "../../app/admin/holdingImport.js";
import type { AdminAudit } from "../../app/admin/ports.js";
import { moveCredits, type CreditMove } from "./creditLedger.js";
import { chunks, gymZone, importTransaction, statements } from "./importTransaction.js";

function holdingTx(tx: EntityManager, audits: AdminAudit[]): HoldingImportTx {
  const { all, run } = statements(tx);
  return {
    gym: (gymId) => gymZone(tx, gymId),
    async plans(gymId) {
      const rows = await all<{ id: string; name: string; price_cents: number; kind: string }>(
        `select id, name, price_cents, entitlement->>'kind' as kind from membership_plan where gym_id = ? and not archived`,
        [gymId],
      );
      return rows.map((r) => ({ id: r.id, name: r.name, priceCents: Number(r.price_cents), credits: r.kind === "pack" }));
    },
    async members(gymId, emails) {
      const found = new Map<string, string>();
      for (const part of chunks(emails)) {
        const rows = await all<{ id: string; email: string }>(
          `select u.id, lower(u.email) as email from app_user u join gym_membership m on m.user_id = u.id and m.gym_id = ?
            where lower(u.email) in (select value from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) found.set(r.email, r.id);
      }
      return found;
    },
    async assignments(gymId, memberIds) {
      const held = new Set<string>();
      for (const part of chunks(memberIds)) {
        const rows = await all<{ member_id: string; plan_id: string; starts_on: string }>(
          `select member_id, plan_id, starts_on from plan_assignment
            where gym_id = ? and member_id in (select value::uuid from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) held.add(`${r.member_id}:${r.plan_id}:${r.starts_on}`);
      }
      return held;
    },
    async insertHoldings(gymId, holdings, actorId, at) {
      for (const part of chunks(holdings)) {
        const ids = JSON.stringify(part.map((h) => h.memberId));
        // Locked first: a class room's booking of one of them waits, so the balance read here is the one replaced.
        const before = await all<{ user_id: string; credits: number | null }>(
          `select user_id, credits from gym_membership where gym_id = ? and user_id in (select value::uuid from json_array_elements_text(?::json)) for update`,
          [gymId, ids],
        );
        const had = new Map(before.map((r) => [String(r.user_id), r.credits === null ? 0 : Number(r.credits)]));
        const moves: CreditMove[] = part.flatMap((h) =>
          h.row.credits === null || h.row.credits === had.get(h.memberId)
            ? []
            : [
                {
                  memberId: h.memberId,
                  amount: h.row.credits - had.get(h.memberId)!,
                  kind: "opening",
                  actorId,
                  reason: "Imported balance",
                  ref: null,
                },
              ],
        );
        await moveCredits(tx, gymId, moves, at, { startFromZero: true });
        await run(
          `update gym_membership m set plan_id = x.plan_id, plan_starts_on = x.starts_on, plan_ends_on = x.ends_on,
                  credits = case when x.credits is null then m.credits else x.credits end,
                  credits_expire_at = case when x.credits is null then m.credits_expire_at else x.expire_at end
             from json_to_recordset(?::json) as x(member_id uuid, plan_id uuid, starts_on text, ends_on text, credits int, expire_at timestamptz)
            where m.gym_id = ? and m.user_id = x.member_id`,
          [
            JSON.stringify(
              part.map((h) => ({
                member_id: h.memberId,
                plan_id: h.row.planId,
                starts_on: h.row.startsOn,
                ends_on: h.row.endsOn,
                credits: h.row.credits,
                expire_at: h.creditsExpireAt === null ? null : new Date(h.creditsExpireAt).toISOString(),
              })),
            ),
            gymId,
          ],
        );
        await run(
          `insert into plan_assignment (id, gym_id, member_id, plan_id, starts_on, ends_on, price_cents, assigned_by, assigned_at, next_dues_on)
           select x.id, ?, x.member_id, x.plan_id, x.starts_on, x.ends_on, x.price_cents, ?, ?, x.starts_on
             from json_to_recordset(?::json) as x(id uuid, member_id uuid, plan_id uuid, starts_on text, ends_on text, price_cents int)`,
          [
            gymId,
            actorId,
            new Date(at),
            JSON.stringify(
              part.map((h) => ({
                id: randomUUID(),
                member_id: h.memberId,
                plan_id: h.row.planId,
                starts_on: h.row.startsOn,
                ends_on: h.row.endsOn,
                price_cents: h.priceCents,
              })),
            ),
          ],
        );
      }
    },
    audit: (a) => void audits.push(a),
  };
}

export function holdingImportStore(orm: MikroORM): HoldingImportStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(holdingTx(tx, []))),
    transaction: (actor, work) => importTransaction(orm, actor, "plan", holdingTx, work),
  };
}
