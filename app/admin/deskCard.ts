/**
 * The desk card (issue 18, "The desk result shows what staff act on"): after a check-in, the member's photo, plan and
 * balance, what they owe, and the alerts (waiver missing, birthday, injury note, pack running low) — one read, audited
 * like a profile (it shows one member's personal data and money).
 */
import { balanceOwed } from "../../domain/admin/charges.js";
import { deskAlerts } from "../../domain/admin/deskAlerts.js";
import { isCreditPlan } from "../../domain/admin/plans.js";
import { currentWaivers } from "../../domain/admin/waivers.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { GymRequest } from "../requestContext.js";
import { planView } from "./plans.js";
import type { AdminRequestPorts } from "./requests.js";

export async function deskCard(p: AdminRequestPorts, c: GymRequest<RequestPayload<"gym:deskCard">>) {
  const now = p.now();
  const { memberId } = c.payload;
  const card = await p.store.read(async (tx) => {
    const member = await tx.member(c.gymId, memberId, false);
    const profile = member ? await tx.memberProfile(c.gymId, memberId) : null;
    if (!member || !profile) return null;
    const [gym, policy, plan, charges, docs, signatures, photoAt] = await Promise.all([
      tx.gym(c.gymId),
      tx.policy(c.gymId, false),
      member.planId ? tx.plan(c.gymId, member.planId) : null,
      tx.charges(c.gymId, memberId, 100),
      tx.waiverDocuments(c.gymId),
      tx.waiverSignatures(c.gymId, memberId),
      tx.photoUpdatedAt(c.gymId, memberId),
    ]);
    const timeZone = gym?.timeZone ?? "UTC";
    const currency = gym?.currency ?? policy?.currency ?? "EUR";
    const current = currentWaivers(docs, now);
    const shownPlan = plan ? planView(plan) : null;
    const owedCents = balanceOwed(charges);
    const alerts = deskAlerts({
      today: localDate(now, timeZone),
      now,
      birthday: profile.birthday,
      notes: profile.notes,
      tags: profile.tags,
      credits: member.credits,
      creditsExpireAt: member.creditsExpireAt,
      creditPlan: shownPlan !== null && isCreditPlan(shownPlan),
      waiverMissing: current.some((d) => !signatures.some((s) => s.documentId === d.id)),
      owedCents,
      currency,
      status: member.status,
      frozenUntil: member.frozenUntil,
    });
    return {
      memberId,
      name: profile.name,
      status: member.status,
      photoUpdatedAt: photoAt,
      plan: shownPlan ? { name: shownPlan.name, kind: shownPlan.kind } : null,
      credits: member.credits,
      creditsExpireAt: member.creditsExpireAt,
      owedCents,
      currency,
      alerts,
    };
  });
  if (card)
    await p.readAudit.record({
      gymId: c.gymId,
      actorId: c.userId,
      action: "gym:deskCard",
      entityType: "member",
      entityId: memberId,
      summary: {},
      commandId: c.commandId,
      at: now,
    });
  return card;
}
