/**
 * Plans the gym defines, what selling or assigning one does to a member's credits, and the credit ledger's
 * entry kinds (docs/domain.md "Plans, packs and the ledger"). Pure: times and ids are passed in.
 */
import { DomainError } from "../errors.js";
import type { Entitlement, Instant } from "../model.js";

export const PlanKinds = ["unlimited", "weekly", "pack", "drop_in", "trial"] as const;
/** unlimited; N classes per week; a pack of N credits; a drop-in (one credit); a trial (unlimited or N credits for a few days). */
export type PlanKind = (typeof PlanKinds)[number];

export const BillingPeriods = ["once", "week", "month", "year"] as const;
export type BillingPeriod = (typeof BillingPeriods)[number];

/** What staff type in to define a plan (money in cents, `classTypeIds` empty = every class type). */
export interface PlanDefinition {
  name: string;
  kind: PlanKind;
  priceCents: number;
  billingPeriod: BillingPeriod;
  /** weekly: classes per ISO week. */
  classesPerWeek?: number | undefined;
  /** pack / trial with credits: how many. drop_in is always 1. */
  credits?: number | undefined;
  /** pack, drop_in, trial: days the credits (or the trial) stay valid after the sale. */
  validDays?: number | undefined;
  weeklyTarget: number;
  classTypeIds: string[];
}

/** Plans that add credits when sold (a class pack, a drop-in, a trial with credits). */
export const isCreditPlan = (d: Pick<PlanDefinition, "kind" | "credits">): boolean =>
  d.kind === "pack" || d.kind === "drop_in" || (d.kind === "trial" && (d.credits ?? 0) > 0);

/**
 * The entitlement the rooms decide on for a plan definition, or a VALIDATION_FAILED naming the missing field.
 *
 * @example
 * entitlementOf({ kind: "pack", credits: 10, validDays: 90, ... }) // { kind: "pack", credits: 10, validDays: 90 }
 */
export function entitlementOf(d: PlanDefinition): Entitlement | DomainError {
  const need = (field: string, message: string) => new DomainError("VALIDATION_FAILED", undefined, { fields: { [field]: message } });
  switch (d.kind) {
    case "unlimited":
      return { kind: "unlimited" };
    case "weekly":
      return d.classesPerWeek
        ? { kind: "weekly", classesPerWeek: d.classesPerWeek }
        : need("classesPerWeek", "Say how many classes per week");
    case "pack":
      if (!d.credits) return need("credits", "Say how many classes the pack holds");
      return d.validDays
        ? { kind: "pack", credits: d.credits, validDays: d.validDays }
        : need("validDays", "Say how many days the pack stays valid");
    case "drop_in":
      return { kind: "pack", credits: 1, validDays: d.validDays ?? 1 };
    case "trial":
      if (!d.validDays) return need("validDays", "Say how many days the trial lasts");
      return d.credits ? { kind: "pack", credits: d.credits, validDays: d.validDays } : { kind: "unlimited" };
  }
}

/** A member's pack balance as the rooms hold it. */
export interface CreditBalance {
  credits: number | null;
  creditsExpireAt: Instant | null;
}

const DAY = 86_400_000;

/**
 * Selling a credit plan: its credits are added to what the member holds, and all of them stay valid until the later
 * of the current expiry and `validDays` from now (one balance, one expiry — unused credits are never shortened).
 */
export function sellCredits(
  balance: CreditBalance,
  entitlement: Extract<Entitlement, { kind: "pack" }>,
  now: Instant,
): { add: number; creditsExpireAt: Instant } {
  const fresh = now + entitlement.validDays * DAY;
  const current = balance.credits !== null && balance.credits > 0 ? balance.creditsExpireAt : null;
  return { add: entitlement.credits, creditsExpireAt: current === null ? fresh : Math.max(current, fresh) };
}

/**
 * A manual adjustment: any non-zero whole number of credits, never taking the balance below 0.
 * (The database applies the same guard in the statement that writes the entry.)
 */
export function checkAdjustment(balance: CreditBalance, amount: number): DomainError | null {
  if (!Number.isInteger(amount) || amount === 0)
    return new DomainError("VALIDATION_FAILED", undefined, { fields: { amount: "Say how many credits to add (+) or take away (−)" } });
  if ((balance.credits ?? 0) + amount < 0) {
    return new DomainError("NO_CREDITS", `That would take the member below 0 credits — they have ${balance.credits ?? 0}.`);
  }
  return null;
}

export const LedgerKinds = ["opening", "sale", "adjustment", "booking", "refund"] as const;
/**
 * Why credits moved: `opening` (the balance when the ledger started), `sale` (a pack, drop-in or trial sold or
 * assigned), `adjustment` (staff, with a reason), `booking` (a class took credits), `refund` (a class gave them back).
 */
export type LedgerKind = (typeof LedgerKinds)[number];

/** One append-only ledger entry: what, who, when, why, how much; `balanceAfter` is the cached balance it left. */
export interface LedgerEntry {
  id: string;
  gymId: string;
  memberId: string;
  at: Instant;
  kind: LedgerKind;
  amount: number;
  balanceAfter: number;
  /** Staff who did it; null for a class room's booking or refund. */
  actorId: string | null;
  reason: string;
  /** What it belongs to: a class session, a charge. */
  ref: string | null;
}
