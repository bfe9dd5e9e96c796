/**
 * Segments and bulk actions (issue 22): saved filters, a preview with the count, tag/untag everyone found (guarded
 * by the previewed count), and a CSV of them. Filters are computed in SQL by the store at the request's time.
 */
import { seesMoney } from "../../domain/roles.js";
import { DomainError } from "../../domain/errors.js";
import { asksAboutMoney, describeFilter, type SegmentFilter } from "../../domain/segments/filter.js";
import { freezeMember } from "../admin/members.js";
import type { AdminActor } from "../admin/ports.js";
import type { SegmentPorts, SegmentTx } from "./ports.js";

/** Most members a bulk action or an export touches at once. */
export const MaxBulk = 10_000;
/** Members listed in a preview. */
const PreviewRows = 50;

const moneyRefused = () => new DomainError("FORBIDDEN", "Only owners and admins filter by money owed.");

const zoneOf = async (tx: SegmentTx, gymId: string) => (await tx.gym(gymId))?.timeZone ?? "UTC";

export async function listSegments(ports: SegmentPorts, gymId: string) {
  return ports.store.read(async (tx) => {
    const plans = await tx.planNames(gymId);
    const segments = (await tx.segments(gymId)).sort((a, b) => a.name.localeCompare(b.name));
    return {
      segments: segments.map((s) => ({ segmentId: s.id, name: s.name, filter: s.filter, description: describeFilter(s.filter, plans) })),
    };
  });
}

export async function saveSegment(
  ports: Pick<SegmentPorts, "store" | "newId">,
  actor: AdminActor,
  input: { segmentId?: string | undefined; name: string; filter: SegmentFilter },
) {
  if (asksAboutMoney(input.filter) && !seesMoney(actor.role)) return moneyRefused();
  return ports.store.transaction(actor, "gym:saveSegment", async (tx) => {
    const before = input.segmentId ? await tx.segment(actor.gymId, input.segmentId) : null;
    if (input.segmentId && !before) return null;
    const id = before?.id ?? ports.newId();
    await tx.saveSegment({
      id,
      gymId: actor.gymId,
      name: input.name,
      filter: input.filter,
      createdBy: before?.createdBy ?? actor.userId,
      createdAt: before?.createdAt ?? actor.now,
      updatedAt: actor.now,
    });
    tx.audit({
      action: "gym:saveSegment",
      entityType: "segment",
      entityId: id,
      before: before ? { filter: before.filter } : null,
      after: { filter: input.filter },
    });
    return { segmentId: id };
  });
}

export async function deleteSegment(ports: SegmentPorts, actor: AdminActor, input: { segmentId: string }) {
  return ports.store.transaction(actor, "gym:deleteSegment", async (tx) => {
    const before = await tx.segment(actor.gymId, input.segmentId);
    if (!before) return null;
    await tx.deleteSegment(actor.gymId, input.segmentId);
    tx.audit({
      action: "gym:deleteSegment",
      entityType: "segment",
      entityId: input.segmentId,
      before: { filter: before.filter },
      after: null,
    });
    return { deleted: true };
  });
}

export async function previewSegment(ports: SegmentPorts, actor: Pick<AdminActor, "gymId" | "role" | "now">, filter: SegmentFilter) {
  if (asksAboutMoney(filter) && !seesMoney(actor.role)) return moneyRefused();
  return ports.store.read(async (tx) => {
    const zone = await zoneOf(tx, actor.gymId);
    const [count, members, plans] = [
      await tx.count(actor.gymId, filter, actor.now, zone),
      await tx.members(actor.gymId, filter, actor.now, zone, PreviewRows),
      await tx.planNames(actor.gymId),
    ];
    return { count, description: describeFilter(filter, plans), members };
  });
}

/** Tags or untags everyone the filter finds, if they are still the `expectedCount` the preview promised. */
export async function segmentAction(
  ports: SegmentPorts,
  actor: AdminActor,
  input: { filter: SegmentFilter; action: "tag" | "untag"; tag: string; expectedCount: number },
) {
  if (asksAboutMoney(input.filter) && !seesMoney(actor.role)) return moneyRefused();
  return ports.store.transaction(actor, "gym:segmentAction", async (tx) => {
    const zone = await zoneOf(tx, actor.gymId);
    const count = await tx.count(actor.gymId, input.filter, actor.now, zone);
    if (count !== input.expectedCount) {
      throw new DomainError("CONFLICT", `The segment has changed: it finds ${count} members now — preview it again.`, {
        details: { count },
      });
    }
    if (count > MaxBulk) throw new DomainError("LIMIT_EXCEEDED", `A bulk action touches at most ${MaxBulk} members — narrow the segment.`);
    const changed = await tx.retag(actor.gymId, input.filter, actor.now, zone, input.tag, input.action === "tag");
    tx.audit({
      action: "gym:segmentAction",
      entityType: "segment",
      entityId: null,
      before: { count },
      after: { action: input.action, tag: input.tag, changed, filter: input.filter },
    });
    return { changed };
  });
}

/** Most members one bulk freeze touches (each may cancel bookings through its class rooms). */
export const MaxFreeze = 100;

/**
 * Freezes everyone the filter finds, if they are still the `expectedCount` the preview promised: one member after
 * the other, each exactly as `gym:freezeMember` (its own audited transaction, its bookings inside the freeze cancelled
 * by their rooms). Members a freeze refuses (staff, cancelled, the actor) are listed as skipped with the reason.
 */
export async function segmentFreeze(
  ports: SegmentPorts,
  actor: AdminActor,
  input: { filter: SegmentFilter; until: string; reason: string; expectedCount: number },
) {
  if (asksAboutMoney(input.filter) && !seesMoney(actor.role)) return moneyRefused();
  const found = await ports.store.read(async (tx) => {
    const zone = await zoneOf(tx, actor.gymId);
    return {
      count: await tx.count(actor.gymId, input.filter, actor.now, zone),
      members: await tx.members(actor.gymId, input.filter, actor.now, zone, MaxFreeze + 1),
    };
  });
  if (found.count !== input.expectedCount)
    return new DomainError("CONFLICT", `The segment has changed: it finds ${found.count} members now — preview it again.`, {
      details: { count: found.count },
    });
  if (found.count > MaxFreeze)
    return new DomainError("LIMIT_EXCEEDED", `A bulk freeze touches at most ${MaxFreeze} members — narrow the segment.`);
  let frozen = 0;
  const skipped: { memberId: string; reason: string }[] = [];
  for (const m of found.members) {
    // No command id of its own: each member's freeze is its own request (a retry of the bulk re-freezes, which is the same).
    const done = await freezeMember(
      ports.admin,
      { ...actor, commandId: null },
      { memberId: m.memberId, until: input.until, reason: input.reason },
    );
    if (done instanceof DomainError) skipped.push({ memberId: m.memberId, reason: done.message });
    else if (done) frozen += 1;
  }
  return { frozen, skipped };
}

/** Everyone the filter finds, for a CSV (at most {@link MaxBulk}). */
export async function segmentRows(ports: SegmentPorts, actor: Pick<AdminActor, "gymId" | "role" | "now">, filter: SegmentFilter) {
  if (asksAboutMoney(filter) && !seesMoney(actor.role)) return moneyRefused();
  return ports.store.read(async (tx) => tx.members(actor.gymId, filter, actor.now, await zoneOf(tx, actor.gymId), MaxBulk));
}
