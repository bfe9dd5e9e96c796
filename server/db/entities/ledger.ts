import { EntitySchema } from "@mikro-orm/core";
import type { Charge } from "../../../domain/admin/charges.js";
import type { LedgerEntry } from "../../../domain/admin/plans.js";
import { EpochMsType } from "../EpochMsType.js";

/**
 * Append-only: every movement of a member's pack credits. `gym_membership.credits` is the cached balance, moved in
 * the same statement as each entry (see `server/persistence/creditLedger.ts`), so it always equals the sum.
 */
export const CreditLedgerEntity = new EntitySchema<LedgerEntry>({
  name: "CreditLedger",
  tableName: "credit_ledger",
  indexes: [{ properties: ["gymId", "memberId", "at"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    at: { type: EpochMsType },
    kind: { type: "string", length: 16 },
    amount: { type: "integer" },
    balanceAfter: { type: "integer" },
    actorId: { type: "uuid", nullable: true },
    reason: { type: "text", default: "" },
    ref: { type: "string", length: 64, nullable: true },
  },
});

/** Money a member owes: sales, dues, and class fees once staff settle them (an unsettled class fee is read from `fee`). */
export const MemberChargeEntity = new EntitySchema<Charge>({
  name: "MemberCharge",
  tableName: "member_charge",
  indexes: [{ properties: ["gymId", "memberId", "createdAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    kind: { type: "string", length: 16 },
    description: { type: "string", length: 200 },
    amountCents: { type: "integer" },
    currency: { type: "string", length: 3 },
    status: { type: "string", length: 8 },
    createdAt: { type: EpochMsType },
    createdBy: { type: "uuid", nullable: true },
    feeId: { type: "uuid", nullable: true, unique: true },
    settledAt: { type: EpochMsType, nullable: true },
    settledBy: { type: "uuid", nullable: true },
    method: { type: "string", length: 16, nullable: true },
    note: { type: "text", default: "" },
    refundOf: { type: "uuid", nullable: true, unique: true },
  },
});

/** A plan given to a member: from, until, at what price, by whom. The membership's `planId` is the current one. */
export interface PlanAssignment {
  id: string;
  gymId: string;
  memberId: string;
  planId: string;
  startsOn: string;
  endsOn: string | null;
  priceCents: number;
  assignedBy: string;
  assignedAt: number;
  /** The first gym day the dues job looks at it again; null = nothing more to bill (docs/domain.md "Recurring dues"). */
  nextDuesOn: string | null;
}

export const PlanAssignmentEntity = new EntitySchema<PlanAssignment>({
  name: "PlanAssignment",
  tableName: "plan_assignment",
  indexes: [
    { properties: ["gymId", "memberId"] },
    {
      // The dues job's scan: only assignments with something left to bill.
      name: "plan_assignment_next_dues_on_index",
      expression: `create index "plan_assignment_next_dues_on_index" on "plan_assignment" ("next_dues_on", "gym_id") where "next_dues_on" is not null`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    planId: { type: "uuid" },
    startsOn: { type: "string", length: 10 },
    endsOn: { type: "string", length: 10, nullable: true },
    priceCents: { type: "integer" },
    assignedBy: { type: "uuid" },
    assignedAt: { type: EpochMsType },
    nextDuesOn: { type: "string", length: 10, nullable: true },
  },
});
