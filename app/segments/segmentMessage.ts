/**
 * A bulk message to a segment (issue 22): everyone the filter finds gets an inbox notice of kind `message`, sent on
 * by push and email as each member's preferences say. The notices, the audit row and the answered command id commit
 * in ONE transaction (the notice sender joins the request's transaction); the live `user:` rooms and the
 * delivery outbox hear of them only after that commit.
 */
import { seesMoney } from "../../domain/roles.js";
import { DomainError } from "../../domain/errors.js";
import { SegmentMessagesPerHour } from "../../domain/protocol/segments.js";
import { asksAboutMoney, type SegmentFilter } from "../../domain/segments/filter.js";
import { MAX_RECIPIENTS } from "../notices/noticeSender.js";
import type { AdminActor } from "../admin/ports.js";
import type { SegmentPorts } from "./ports.js";

const HOUR = 3_600_000;

/** Most members one bulk message reaches (one notice send). */
export const MaxMessage = MAX_RECIPIENTS;

export async function segmentMessage(
  ports: SegmentPorts,
  actor: AdminActor,
  input: { filter: SegmentFilter; text: string; expectedCount: number },
) {
  if (asksAboutMoney(input.filter) && !seesMoney(actor.role))
    return new DomainError("FORBIDDEN", "Only owners and admins filter by money owed.");
  const done = await ports.store.transaction(actor, "gym:segmentMessage", async (tx) => {
    // Counted under the gym's bulk-message lock: two messages sent at once cannot both squeeze under the limit.
    const lately = await tx.bulkMessagesSince(actor.gymId, actor.now - HOUR);
    if (lately >= SegmentMessagesPerHour) {
      throw new DomainError(
        "RATE_LIMITED",
        `This gym has sent ${lately} bulk messages in the last hour — wait a little before the next one.`,
      );
    }
    const zone = (await tx.gym(actor.gymId))?.timeZone ?? "UTC";
    const count = await tx.count(actor.gymId, input.filter, actor.now, zone);
    if (count !== input.expectedCount) {
      throw new DomainError("CONFLICT", `The segment has changed: it finds ${count} members now — preview it again.`, {
        details: { count },
      });
    }
    if (count > MaxMessage)
      throw new DomainError("LIMIT_EXCEEDED", `A bulk message reaches at most ${MaxMessage} members — narrow the segment.`);
    const ids = await tx.memberIds(actor.gymId, input.filter, actor.now, zone, MaxMessage);
    // Written in this transaction; shown in the live `user:` rooms and handed to delivery once it commits.
    const sent = await ports.admin.notices.notify(ids, { kind: "message", text: input.text, gymId: actor.gymId }, tx.notices);
    tx.audit({
      action: "gym:segmentMessage",
      entityType: "segment",
      entityId: null,
      before: { count },
      after: { sent: sent.length, chars: input.text.trim().length, filter: input.filter },
    });
    return { sent: sent.length };
  });
  return done;
}
