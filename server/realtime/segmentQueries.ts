/**
 * Segments and bulk actions (domain/protocol/segments.ts) as `gym:*` handlers calling `app/segments/`. Previews and
 * exports list several people's personal data: audited staff reads.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { ClassCommands, DeskCommands, StandingNotifier } from "../../app/admin/ports.js";
import type { SegmentPorts } from "../../app/segments/ports.js";
import { deleteSegment, listSegments, previewSegment, saveSegment, segmentAction, segmentFreeze, segmentRows } from "../../app/segments/segments.js";
import { DomainError } from "../../domain/errors.js";
import type { QueryPayload } from "../../domain/protocol/queries.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { adminStore } from "../persistence/adminStore.js";
import { hashText } from "./adminQueries.js";
import { segmentStore } from "../persistence/segmentStore.js";
import { csv } from "./reportQueries.js";
import { actorOf, type GymQueryContext, type InGym, type QueryHandlers } from "./queryHandler.js";

const Desk = ["owner", "admin", "front_desk"] as const;

export function segmentQueries(d: { orm: MikroORM; now: () => number; inGym: InGym; readAudit: ReadAudit; notes: StandingNotifier; classes: ClassCommands & DeskCommands }): QueryHandlers {
  const ports: SegmentPorts = { store: segmentStore(d.orm), newId: randomUUID, admin: { store: adminStore(d.orm), notes: d.notes, classes: d.classes, desk: d.classes, newId: randomUUID, hashText } };
  const actor = (c: GymQueryContext<unknown>) => actorOf(c, d.now());
  const audited = (c: GymQueryContext<unknown>, action: string, rows: number) =>
    d.readAudit.record({ gymId: c.gymId, actorId: c.userId, action, entityType: "segment", entityId: null, summary: { rows }, commandId: c.commandId, at: d.now() });
  return {
    "gym:segments": d.inGym("gym:segments", Desk, (c) => listSegments(ports, c.gymId)),
    "gym:saveSegment": d.inGym<QueryPayload<"gym:saveSegment">>("gym:saveSegment", Desk, (c) => saveSegment(ports, actor(c), c.payload)),
    "gym:deleteSegment": d.inGym<QueryPayload<"gym:deleteSegment">>("gym:deleteSegment", Desk, (c) => deleteSegment(ports, actor(c), c.payload)),
    "gym:previewSegment": d.inGym<QueryPayload<"gym:previewSegment">>("gym:previewSegment", Desk, async (c) => {
      const preview = await previewSegment(ports, actor(c), c.payload.filter);
      if (!(preview instanceof DomainError)) await audited(c, "gym:previewSegment", preview.members.length);
      return preview;
    }),
    "gym:segmentAction": d.inGym<QueryPayload<"gym:segmentAction">>("gym:segmentAction", Desk, (c) => segmentAction(ports, actor(c), c.payload)),
    "gym:segmentFreeze": d.inGym<QueryPayload<"gym:segmentFreeze">>("gym:segmentFreeze", Desk, (c) => segmentFreeze(ports, actor(c), c.payload)),
    "gym:exportSegment": d.inGym<QueryPayload<"gym:exportSegment">>("gym:exportSegment", Desk, async (c) => {
      const rows = await segmentRows(ports, actor(c), c.payload.filter);
      if (rows instanceof DomainError) return rows;
      await audited(c, "gym:exportSegment", rows.length);
      const lines = [["name", "email", "phone", "status", "plan", "last_visit"], ...rows.map((r) => [r.name, r.email, r.phone, r.status, r.plan, r.lastVisitAt === null ? "" : new Date(r.lastVisitAt).toISOString()])];
      return { name: "segment.csv", rows: rows.length, csv: csv(lines) };
    }),
  };
}
