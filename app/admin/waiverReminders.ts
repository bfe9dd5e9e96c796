/**
 * Waiver reminders (issue 18, "Policies and waivers"): staff remind the members who haven't signed the version in
 * force. Each member is reminded at most once a day (the rest are skipped and counted), at most 500 per request; the
 * reminder is recorded and audited in one transaction, then told to each member in words through the NoticeSender.
 */
import { currentWaiver, documentOf, LiabilityWaiver } from "../../domain/admin/waivers.js";
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { GymRequest } from "../requestContext.js";
import { actorOf, type AdminRequestPorts } from "./requests.js";

/** How often one member may be reminded of one version. */
export const REMIND_EVERY_MS = 24 * 3_600_000;
/** Most members one request reminds. */
export const MAX_REMINDED = 500;

export async function remindWaiver(p: AdminRequestPorts, c: GymRequest<RequestPayload<"gym:remindWaiver">>) {
  const actor = actorOf(p, c);
  const done = await p.store.transaction(actor, "gym:remindWaiver", async (tx) => {
    const document = c.payload.document ?? LiabilityWaiver;
    const versions = (await tx.waiverDocuments(c.gymId)).filter((d) => documentOf(d) === document);
    const current = currentWaiver(versions, actor.now);
    if (!current) throw new DomainError("NOT_FOUND", "No version of this document is in force yet — publish one first.");
    const { members } = await tx.unsignedMembers(c.gymId, current.id, MAX_REMINDED, c.payload.memberIds);
    const unsigned = members.map((m) => m.memberId);
    const recent = new Set(await tx.waiverRemindedSince(current.id, unsigned, actor.now - REMIND_EVERY_MS));
    const due = unsigned.filter((id) => !recent.has(id));
    await tx.markWaiverReminded(c.gymId, current.id, due, actor.now);
    tx.audit({
      action: "gym:remindWaiver",
      entityType: "waiver",
      entityId: current.id,
      before: null,
      after: { reminded: due.length, skipped: unsigned.length - due.length },
    });
    return {
      documentId: current.id,
      title: current.title,
      version: current.version,
      due,
      skipped: unsigned.length - due.length,
      at: actor.now,
    };
  });
  if (done instanceof DomainError) return done;
  // After the commit. A retry gets the first attempt's stored result (its own instant): nothing is sent twice.
  if (done.due.length > 0 && done.at === actor.now)
    await p.notices.notify(done.due, {
      kind: "membership",
      gymId: c.gymId,
      text: `Please sign the gym's ${done.title} (version ${done.version}) in the app — it takes a minute, and you need it to train.`,
    });
  return { reminded: done.due.length, skipped: done.skipped };
}
