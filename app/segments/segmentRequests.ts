/**
 * Segments and bulk actions (domain/protocol/segments.ts) as the dispatch table calls them. Previews and exports
 * list several people's personal data: audited staff reads.
 */
import { DomainError } from "../../domain/errors.js";
import { csv } from "../../domain/export/csv.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import { actorOf } from "../admin/requests.js";
import type { GymRequest } from "../requestContext.js";
import type { SegmentRequestPorts } from "./ports.js";
import { segmentMessage as message } from "./segmentMessage.js";
import {
  deleteSegment as remove,
  listSegments,
  previewSegment as preview,
  saveSegment as save,
  segmentAction as act,
  segmentFreeze as freeze,
  segmentRows,
} from "./segments.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

const audited = (p: SegmentRequestPorts, c: GymRequest<unknown>, action: string, rows: number) =>
  p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action,
    entityType: "segment",
    entityId: null,
    summary: { rows },
    commandId: c.commandId,
    at: p.now(),
  });

export const segments = (p: SegmentRequestPorts, c: In<"gym:segments">) => listSegments(p, c.gymId);
export const saveSegment = (p: SegmentRequestPorts, c: In<"gym:saveSegment">) => save(p, actorOf(p, c), c.payload);
export const deleteSegment = (p: SegmentRequestPorts, c: In<"gym:deleteSegment">) => remove(p, actorOf(p, c), c.payload);
export const segmentAction = (p: SegmentRequestPorts, c: In<"gym:segmentAction">) => act(p, actorOf(p, c), c.payload);
export const segmentMessage = (p: SegmentRequestPorts, c: In<"gym:segmentMessage">) => message(p, actorOf(p, c), c.payload);
export const segmentFreeze = (p: SegmentRequestPorts, c: In<"gym:segmentFreeze">) => freeze(p, actorOf(p, c), c.payload);

/** Who the filter finds (an audited read of their names). */
export async function previewSegment(p: SegmentRequestPorts, c: In<"gym:previewSegment">) {
  const found = await preview(p, actorOf(p, c), c.payload.filter);
  if (!(found instanceof DomainError)) await audited(p, c, "gym:previewSegment", found.members.length);
  return found;
}

/** Everyone the filter finds as CSV (an audited read). */
export async function exportSegment(p: SegmentRequestPorts, c: In<"gym:exportSegment">) {
  const rows = await segmentRows(p, actorOf(p, c), c.payload.filter);
  if (rows instanceof DomainError) return rows;
  await audited(p, c, "gym:exportSegment", rows.length);
  const lines = [
    ["name", "email", "phone", "status", "plan", "last_visit"],
    ...rows.map((r) => [r.name, r.email, r.phone, r.status, r.plan, r.lastVisitAt === null ? "" : new Date(r.lastVisitAt).toISOString()]),
  ];
  return { name: "segment.csv", rows: rows.length, csv: csv(lines) };
}
