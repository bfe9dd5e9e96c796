/**
 * The administration use cases as the dispatch table calls them: who asks becomes an {@link AdminActor}, and a
 * staff read of one member's money is audited like a profile.
 */
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { Clock, GymRequest, StaffReadLog } from "../requestContext.js";
import { formatMoney } from "../../domain/format.js";
import { DomainError } from "../../domain/errors.js";
import { memberAccount, waiveCharge } from "./account.js";
import type { AdminActor, AdminPorts } from "./ports.js";
import { waiverStatus } from "./waivers.js";

export interface AdminRequestPorts extends AdminPorts {
  readAudit: StaffReadLog;
  now: Clock;
}

/** Who asks, where and when, as administration names it. */
export const actorOf = (p: { now: Clock }, c: GymRequest<unknown>): AdminActor => ({
  userId: c.userId,
  role: c.role,
  gymId: c.gymId,
  commandId: c.commandId,
  now: p.now(),
  ...(c.client ? { client: c.client } : {}),
});

/** One member's credits, plan, ledger and charges; the read is audited. */
export async function readMemberAccount(p: AdminRequestPorts, c: GymRequest<RequestPayload<"gym:memberAccount">>) {
  const account = await memberAccount(p, c.gymId, c.payload.memberId);
  if (account)
    await p.readAudit.record({
      gymId: c.gymId,
      actorId: c.userId,
      action: "gym:memberAccount",
      entityType: "member",
      entityId: c.payload.memberId,
      summary: {},
      commandId: c.commandId,
      at: p.now(),
    });
  return account;
}

/** Who hasn't signed the waiver in force (names and emails of many members: audited like the member list). */
export async function readWaiverStatus(p: AdminRequestPorts, c: GymRequest<RequestPayload<"gym:waiverStatus">>) {
  const status = await waiverStatus(p, c.gymId, p.now());
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:waiverStatus",
    entityType: "waiver",
    entityId: status.current?.waiverId ?? null,
    summary: { unsigned: status.unsignedTotal },
    commandId: c.commandId,
    at: p.now(),
  });
  return status;
}

/** Owners and admins waive an open charge with a reason; the member is told what was waived and why. */
export async function waiveChargeAndTell(p: AdminRequestPorts, c: GymRequest<RequestPayload<"gym:waiveCharge">>) {
  const waived = await waiveCharge(p, actorOf(p, c), c.payload);
  if (waived === null || waived instanceof DomainError) return waived;
  await p.notices.notify([waived.memberId], {
    kind: "membership",
    gymId: c.gymId,
    text: `Your ${waived.description.toLowerCase()} charge of ${formatMoney(waived.amountCents, waived.currency)} was waived by the gym. Reason: ${c.payload.reason}`,
  });
  return waived;
}
