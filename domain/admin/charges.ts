/**
 * Money a member owes the gym (docs/domain.md "Money owed"): class fees, sales at the desk and plan dues, each
 * open until it is paid or waived. Pure.
 */
import { DomainError } from "../errors.js";
import type { FeeKind, Fee, Instant } from "../model.js";

/** `refund`: money given back for a paid charge — a negative, settled charge naming the one it refunds (`refundOf`). */
export const ChargeKinds = ["late_cancel", "no_show", "sale", "dues", "refund"] as const;
export type ChargeKind = (typeof ChargeKinds)[number];

export const ChargeStatuses = ["open", "paid", "waived"] as const;
export type ChargeStatus = (typeof ChargeStatuses)[number];

export const PaymentMethods = ["cash", "card_terminal", "external"] as const;
/** How the money came in: cash at the desk, the desk's card terminal, or outside Spotter (bank transfer, a processor). */
export type PaymentMethod = (typeof PaymentMethods)[number];

export interface Charge {
  id: string;
  gymId: string;
  memberId: string;
  kind: ChargeKind;
  description: string;
  amountCents: number;
  currency: string;
  status: ChargeStatus;
  createdAt: Instant;
  /** Staff who created it (sales, dues); null for class fees. */
  createdBy: string | null;
  /** The class fee this charge is, if any. */
  feeId: string | null;
  settledAt: Instant | null;
  settledBy: string | null;
  method: PaymentMethod | null;
  /** A payment's reference (terminal slip, transfer id), a waiver's or a refund's reason. */
  note: string;
  /** A refund's paid charge; null for every other charge. */
  refundOf: string | null;
}

/** A class fee as a charge: open, or waived when the rules waived it (docs/domain.md "Fees at a glance"). */
export function chargeOfFee(fee: Fee & { waived?: boolean }, kind: FeeKind = fee.kind): Charge {
  return {
    id: fee.id,
    gymId: fee.gymId,
    memberId: fee.memberId,
    kind,
    description: kind === "late_cancel" ? "Late cancel" : "No-show",
    amountCents: fee.amountCents,
    currency: fee.currency,
    status: fee.waived ? "waived" : "open",
    createdAt: fee.createdAt,
    createdBy: null,
    feeId: fee.id,
    settledAt: fee.waived ? fee.createdAt : null,
    settledBy: null,
    method: null,
    note: fee.waived ? "Waived by the booking rules" : "",
    refundOf: null,
  };
}

/** Settling an open charge: paid (with a method) or waived (with a reason). A settled charge stays as it is. */
export function settleCharge(
  charge: Charge,
  how: { paid: { method: PaymentMethod; reference: string } } | { waived: { reason: string } },
  by: string,
  now: Instant,
): Charge | DomainError {
  if (charge.status !== "open") return new DomainError("CHARGE_SETTLED", `This charge is already ${charge.status} — nothing to do.`);
  if ("paid" in how) return { ...charge, status: "paid", settledAt: now, settledBy: by, method: how.paid.method, note: how.paid.reference };
  return { ...charge, status: "waived", settledAt: now, settledBy: by, method: null, note: how.waived.reason };
}

/** What a member owes: the sum of open charges. */
export const balanceOwed = (charges: readonly Pick<Charge, "status" | "amountCents">[]): number =>
  charges.reduce((sum, c) => (c.status === "open" ? sum + c.amountCents : sum), 0);

/**
 * Giving back the money of a paid charge (owners, admins): a new charge of kind `refund` for minus the amount, settled
 * at once the way the payment came in, with the reason — the paid charge itself is never changed. `refunded`: the
 * charge's refund if there is one already (a charge is refunded once, in full).
 * @example refundCharge(paidFee, null, { id, reason: "Charged twice" }, ownerId, now) // { kind: "refund", amountCents: -1000, … }
 */
export function refundCharge(
  charge: Charge,
  refunded: Pick<Charge, "id"> | null,
  refund: { id: string; reason: string },
  by: string,
  now: Instant,
): Charge | DomainError {
  if (refunded) return new DomainError("CHARGE_REFUNDED");
  if (charge.kind === "refund") return new DomainError("CHARGE_NOT_PAID", "This is a refund — there is nothing to give back.");
  if (charge.status !== "paid")
    return new DomainError(
      "CHARGE_NOT_PAID",
      charge.status === "open"
        ? "This charge isn't paid yet — waive it instead."
        : "This charge was waived — nothing was paid to give back.",
    );
  if (charge.amountCents <= 0) return new DomainError("CHARGE_NOT_PAID", "Nothing was paid for this charge — nothing to give back.");
  return {
    id: refund.id,
    gymId: charge.gymId,
    memberId: charge.memberId,
    kind: "refund",
    description: `Refund: ${charge.description}`.slice(0, 200),
    amountCents: -charge.amountCents,
    currency: charge.currency,
    status: "paid",
    createdAt: now,
    createdBy: by,
    feeId: null,
    settledAt: now,
    settledBy: by,
    method: charge.method,
    note: refund.reason,
    refundOf: charge.id,
  };
}
