import { EntitySchema } from "@mikro-orm/core";
import type { SavedSegment } from "../../../app/segments/ports.js";
import type { Lead, LeadTouch, TrialForm } from "../../../domain/leads/pipeline.js";
import { EpochMsType } from "../EpochMsType.js";

/** A prospect in the gym's sales pipeline (docs/domain.md "Leads and trials"). */
export const LeadEntity = new EntitySchema<Lead>({
  name: "Lead",
  tableName: "lead",
  indexes: [{ properties: ["gymId", "stage"] }, { properties: ["gymId", "memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    name: { type: "string", length: 200 },
    email: { type: "string", length: 320, nullable: true },
    phone: { type: "string", length: 40, nullable: true },
    source: { type: "string", length: 16 },
    interest: { type: "text", default: "" },
    ownerId: { type: "uuid", nullable: true },
    stage: { type: "string", length: 16 },
    lostReason: { type: "text", default: "" },
    followUpOn: { type: "string", length: 10, nullable: true },
    memberId: { type: "uuid", nullable: true },
    createdAt: { type: EpochMsType },
    updatedAt: { type: EpochMsType },
  },
});

/** Append-only: a lead's timeline (calls, emails, notes, stage moves, the trial visit, the conversion). */
export const LeadTouchEntity = new EntitySchema<LeadTouch>({
  name: "LeadTouch",
  tableName: "lead_touch",
  indexes: [{ properties: ["leadId", "at"] }],
  properties: {
    id: { type: "uuid", primary: true },
    leadId: { type: "uuid" },
    gymId: { type: "uuid" },
    at: { type: EpochMsType },
    actorId: { type: "uuid", nullable: true },
    kind: { type: "string", length: 16 },
    note: { type: "text", default: "" },
  },
});

/** A gym's public "book a free trial" form: on or off, the origins allowed to embed it, the trial plan it gives. */
export const TrialFormEntity = new EntitySchema<TrialForm>({
  name: "TrialForm",
  tableName: "gym_trial_form",
  properties: {
    gymId: { type: "uuid", primary: true },
    enabled: { type: "boolean", default: false },
    embedOrigins: { type: "json" },
    planId: { type: "uuid", nullable: true },
    updatedAt: { type: EpochMsType },
  },
});

/** A saved segment: a named filter over the gym's members (docs/domain.md "Segments"). */
export const SegmentEntity = new EntitySchema<SavedSegment>({
  name: "Segment",
  tableName: "segment",
  indexes: [{ properties: ["gymId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    name: { type: "string", length: 120 },
    filter: { type: "json" },
    createdBy: { type: "uuid" },
    createdAt: { type: EpochMsType },
    updatedAt: { type: EpochMsType },
  },
});
