/**
 * A member's account (issue 18): credits with their ledger, and money owed with its open/paid/waived charges.
 * Staff record a payment taken at the desk or outside Spotter, or waive a charge with a reason.
 */
import { balanceOwed, refundCharge, settleCharge, type PaymentMethod } from "../../domain/admin/charges.js";
import { formatMoney } from "../../domain/format.js";
import { DomainError } from "../../domain/errors.js";
import { planView } from "./plans.js";
import type { MyStanding } from "../me/ports.js";
import type { AdminActor, AdminPorts } from "./ports.js";

const PAGE = 100;

/** Credits, plan, the newest ledger entries and charges, and what is owed (open charges). */
export async function memberAccount(ports: AdminPorts, gymId: string, memberId: string) {
  return ports.store.read(async (tx) => {
    const member = await tx.member(gymId, memberId, false);
    if (!member) return null;
    const plan = member.planId ? await tx.plan(gymId, member.planId) : null;
    const ledger = await tx.ledger(gymId, memberId, PAGE);
    const charges = await tx.charges(gymId, memberId, PAGE);
    return {
      memberId,
      status: member.status,
      frozenUntil: member.frozenUntil,
      plan: plan ? planView(plan) : null,
      credits: member.credits,
      creditsExpireAt: member.creditsExpireAt,
      ledger: ledger.map(({ gymId: _g, memberId: _m, ...e }) => e),
      charges: charges.map(({ gymId: _g, ...c }) => c),
      owedCents: balanceOwed(charges),
    };
  });
}

/** What a member sees of their own account on "Me": freeze end, plan name and what they owe (no ledger, no charges). */
export async function memberStanding(ports: Pick<AdminPorts, "store">, gymId: string, memberId: string): Promise<MyStanding | null> {
  return ports.store.read(async (tx) => {
    const member = await tx.member(gymId, memberId, false);
    if (!member) return null;
    const [gym, plan, charges] = await Promise.all([
      tx.gym(gymId),
      member.planId ? tx.plan(gymId, member.planId) : null,
      tx.charges(gymId, memberId, PAGE),
    ]);
    return {
      frozenUntil: member.frozenUntil,
      planName: plan?.name ?? null,
      owedCents: balanceOwed(charges),
      currency: gym?.currency ?? "EUR",
    };
  });
}

/** Settles one open charge, paid or waived, in an audited transaction. */
async function settle(ports: AdminPorts, actor: AdminActor, type: string, chargeId: string, how: Parameters<typeof settleCharge>[1]) {
  const result = await ports.store.transaction(actor, type, async (tx) => {
    const charge = await tx.charge(actor.gymId, chargeId, true);
    if (!charge) return null;
    const settled = settleCharge(charge, how, actor.userId, actor.now);
    if (settled instanceof DomainError) throw settled;
    await tx.saveCharge(settled);
    // A waiver's reason is free text: it stays on the charge, not in the audit trail.
    tx.audit({
      action: type,
      entityType: "charge",
      entityId: chargeId,
      before: { status: charge.status },
      after: { status: settled.status, method: settled.method, amountCents: settled.amountCents, memberId: settled.memberId },
    });
    const { gymId: _g, ...view } = settled;
    return view;
  });
  return told(ports, actor.gymId, result);
}

/** After the commit: what the member owes changed, so the desk and the member's own screens read it again. */
function told<T extends { memberId: string } | null | DomainError>(ports: AdminPorts, gymId: string, result: T): T {
  if (result && !(result instanceof DomainError)) ports.notes.memberChanged(gymId, result.memberId);
  return result;
}

export const recordPayment = (
  ports: AdminPorts,
  actor: AdminActor,
  input: { chargeId: string; method: PaymentMethod; reference?: string | undefined },
) => settle(ports, actor, "gym:recordPayment", input.chargeId, { paid: { method: input.method, reference: input.reference ?? "" } });

export const waiveCharge = (ports: AdminPorts, actor: AdminActor, input: { chargeId: string; reason: string }) =>
  settle(ports, actor, "gym:waiveCharge", input.chargeId, { waived: { reason: input.reason } });

/**
 * Gives back the money of a paid charge (owners, admins) with a reason: a `refund` charge for minus the amount, the
 * audit row and the member's notice in one transaction. A second refund of the charge is refused (`CHARGE_REFUNDED`).
 */
export async function refundPaidCharge(ports: AdminPorts, actor: AdminActor, input: { chargeId: string; reason: string }) {
  const refunded = await ports.store.transaction(actor, "gym:refundCharge", async (tx) => {
    // Locked: two refunds of one charge take turns, and the second sees the first.
    const charge = await tx.charge(actor.gymId, input.chargeId, true);
    if (!charge) return null;
    const refund = refundCharge(
      charge,
      await tx.refundOf(actor.gymId, charge.id),
      { id: ports.newId(), reason: input.reason },
      actor.userId,
      actor.now,
    );
    if (refund instanceof DomainError) throw refund;
    await tx.addCharge(refund);
    // The reason is free text: it stays on the refund and in the member's notice, not in the audit trail.
    tx.audit({
      action: "gym:refundCharge",
      entityType: "charge",
      entityId: charge.id,
      before: { status: charge.status, refunded: false },
      after: { refundId: refund.id, amountCents: refund.amountCents, method: refund.method, memberId: refund.memberId },
    });
    const amount = formatMoney(charge.amountCents, charge.currency);
    // At most 80 + 300 characters of the description and the reason: within a notice's 500.
    await ports.notices.notify(
      [charge.memberId],
      {
        kind: "membership",
        gymId: actor.gymId,
        text: `The gym refunded your ${charge.description.toLowerCase().slice(0, 80)} payment of ${amount}. Reason: ${input.reason}`,
      },
      tx.notices,
    );
    const { gymId: _g, ...view } = refund;
    return view;
  });
  return told(ports, actor.gymId, refunded);
}
