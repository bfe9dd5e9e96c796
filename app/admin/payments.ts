/**
 * The payment-processor port (issue 18: "no payment processor in this issue — the ledger must be ready for one").
 *
 * Nothing implements it yet. A processor adapter (Stripe, Adyen, a terminal's cloud API) would live in
 * `server/payments/` and be wired in `server/createServer.ts`; the flow it must follow:
 *
 * 1. Staff (or a member, later) ask to pay an open charge: the use case calls {@link PaymentProcessor.collect} with the
 *    charge's id as the idempotency key, OUTSIDE any database transaction (a network call must not hold row locks).
 * 2. On `succeeded`, the charge is settled exactly like `gym:recordPayment` with method `external` and the
 *    processor's reference — the same audited transaction, so a webhook and a retried request settle it once
 *    (`CHARGE_SETTLED` for the second).
 * 3. `pending` leaves the charge open; the processor's webhook settles it later through the same use case.
 * 4. Refunds are a new negative charge (`kind: "refund"`, `refundOf` the paid one; `gym:refundCharge` records one today,
 *    money handed back at the desk) — a processor adapter would give the money back first, then record it the same way: charges are never
 *    edited after they are settled, so the account stays an append-only history.
 *
 * Money is integer cents in the gym's currency everywhere; the processor never sees a member's other data.
 */
import type { Charge } from "../../domain/admin/charges.js";

export type CollectOutcome =
  { status: "succeeded"; reference: string } | { status: "pending"; reference: string } | { status: "declined"; reason: string };

export interface PaymentProcessor {
  /** Takes `charge.amountCents` for the charge; the same `idempotencyKey` never charges twice. */
  collect(
    charge: Pick<Charge, "id" | "gymId" | "memberId" | "amountCents" | "currency" | "description">,
    idempotencyKey: string,
  ): Promise<CollectOutcome>;
}
