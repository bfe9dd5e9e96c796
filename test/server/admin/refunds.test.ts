/**
 * Issue 18 "Overrides with a reason": refunding a fee that was already paid. A refund is a new, negative charge naming
 * the paid one (the paid charge stays as it was), for owners and admins, audited and told to the member in the same
 * commit; a second refund — one after the other or at the same moment — is refused with `CHARGE_REFUNDED`.
 * Over real sockets against a real server on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuditLogEntity, FeeEntity, MemberChargeEntity, NoticeEntity } from "../../../server/db/entities/index.js";
import { gymSuite } from "../../support/gymSuite.js";
import { postgresOrPglite } from "../../support/services.js";

const pg = await postgresOrPglite();

describe("refunding a paid charge", () => {
  const s = gymSuite({ pg, env: { SPOTTER_MODE: "embedded", JWT_SECRET: "r".repeat(40) }, members: 6, staff: true });
  const { sockets, em } = s;
  let next = 0;

  /** A no-show fee of €10.00 of a fresh member; paid at the desk in cash unless `open`. */
  const aFee = async (open = false) => {
    const memberId = s.gym.members[next++]!.id;
    const feeId = randomUUID();
    const e = em();
    e.create(FeeEntity, {
      id: feeId,
      gymId: s.gym.gymId,
      memberId,
      sessionId: s.gym.sessionId,
      bookingId: randomUUID(),
      kind: "no_show",
      amountCents: 1_000,
      currency: "EUR",
      createdAt: Date.now(),
      waived: false,
    });
    await e.flush();
    if (!open) expect(await s.desk.command(s.room, "gym:recordPayment", { chargeId: feeId, method: "cash" })).toMatchObject({ ok: true });
    return { memberId, feeId };
  };

  it("gives a paid no-show fee back as a negative charge with the reason, audited, and tells the member in words", async () => {
    const { memberId, feeId } = await aFee();
    const refunded = await s.owner.command(s.room, "gym:refundCharge", { chargeId: feeId, reason: "Charged by mistake" });
    expect(refunded).toMatchObject({
      ok: true,
      result: { kind: "refund", amountCents: -1_000, status: "paid", method: "cash", refundOf: feeId, note: "Charged by mistake" },
    });
    const refundId = (refunded as { result: { id: string } }).result.id;
    // The paid charge is kept as it was; the account shows both, and nothing is owed.
    expect(await s.desk.command(s.room, "gym:memberAccount", { memberId })).toMatchObject({
      ok: true,
      result: {
        owedCents: 0,
        charges: expect.arrayContaining([
          expect.objectContaining({ id: feeId, status: "paid", amountCents: 1_000, refundOf: null }),
          expect.objectContaining({ id: refundId, kind: "refund", amountCents: -1_000, refundOf: feeId }),
        ]),
      },
    });
    expect(await em().find(AuditLogEntity, { gymId: s.gym.gymId, action: "gym:refundCharge", entityId: feeId })).toMatchObject([
      { actorId: s.gym.ownerId, summary: { after: { refundId, amountCents: -1_000, method: "cash", memberId } } },
    ]);
    expect(await em().find(NoticeEntity, { userId: memberId, gymId: s.gym.gymId })).toMatchObject([
      { kind: "membership", text: "The gym refunded your no-show payment of €10.00. Reason: Charged by mistake" },
    ]);
  });

  it("refuses a second refund with CHARGE_REFUNDED, also when two owners press at the same moment", async () => {
    const first = await aFee();
    expect(await s.owner.command(s.room, "gym:refundCharge", { chargeId: first.feeId, reason: "Once" })).toMatchObject({ ok: true });
    expect(await s.owner.command(s.room, "gym:refundCharge", { chargeId: first.feeId, reason: "Twice" })).toMatchObject({
      ok: false,
      error: { code: "CHARGE_REFUNDED", message: "This charge was already refunded — nothing to do." },
    });
    const second = await aFee();
    const admin = await sockets.connect(s.gym.ownerId);
    const answers = await Promise.all([
      s.owner.command(s.room, "gym:refundCharge", { chargeId: second.feeId, reason: "A" }),
      admin.command(s.room, "gym:refundCharge", { chargeId: second.feeId, reason: "B" }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok)).toMatchObject([{ error: { code: "CHARGE_REFUNDED" } }]);
    for (const { feeId, memberId } of [first, second]) {
      expect(await em().count(MemberChargeEntity, { refundOf: feeId })).toBe(1);
      expect(await em().count(NoticeEntity, { userId: memberId })).toBe(1);
      expect(await em().count(AuditLogEntity, { action: "gym:refundCharge", entityId: feeId })).toBe(1);
    }
  });

  it("refunds only what was paid, and only for owners and admins", async () => {
    const open = await aFee(true);
    expect(await s.owner.command(s.room, "gym:refundCharge", { chargeId: open.feeId, reason: "Nope" })).toMatchObject({
      ok: false,
      error: { code: "CHARGE_NOT_PAID", message: "This charge isn't paid yet — waive it instead." },
    });
    const paid = await aFee();
    expect(await s.desk.command(s.room, "gym:refundCharge", { chargeId: paid.feeId, reason: "Desk" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await s.owner.command(s.room, "gym:refundCharge", { chargeId: paid.feeId, reason: "" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { reason: expect.any(String) } },
    });
    const refund = await s.owner.command(s.room, "gym:refundCharge", { chargeId: paid.feeId, reason: "Ok" });
    const refundId = (refund as { result: { id: string } }).result.id;
    expect(await s.owner.command(s.room, "gym:refundCharge", { chargeId: refundId, reason: "Again" })).toMatchObject({
      ok: false,
      error: { code: "CHARGE_NOT_PAID" },
    });
    expect(await s.owner.command(s.room, "gym:refundCharge", { chargeId: randomUUID(), reason: "Who" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await em().count(NoticeEntity, { userId: open.memberId })).toBe(0);
  });
});
