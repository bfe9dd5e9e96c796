import { EntitySchema } from "@mikro-orm/core";
import type { WaiverDocument, WaiverSignature } from "../../../domain/admin/waivers.js";
import { EpochMsType } from "../EpochMsType.js";

/**
 * Published waiver versions and members' signatures (docs/domain.md "Policies and waivers"). Insert-only: a trigger
 * refuses updates and deletes (see the migration); `server/persistence/waiverStore.ts` reads and writes them in SQL.
 */
export const WaiverDocumentEntity = new EntitySchema<WaiverDocument>({
  name: "WaiverDocument",
  tableName: "waiver_document",
  uniques: [{ properties: ["gymId", "version"] }],
  indexes: [{ properties: ["gymId", "document"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    document: { type: "string", length: 40, default: "waiver" },
    version: { type: "string", length: 40 },
    required: { type: "string", length: 10, nullable: true },
    title: { type: "string", length: 200 },
    text: { type: "text" },
    textHash: { type: "string", length: 64 },
    effectiveOn: { type: "string", length: 10 },
    effectiveAt: { type: EpochMsType },
    publishedBy: { type: "uuid" },
    publishedAt: { type: EpochMsType },
  },
});

export const WaiverSignatureEntity = new EntitySchema<WaiverSignature>({
  name: "WaiverSignature",
  tableName: "waiver_signature",
  uniques: [{ properties: ["documentId", "memberId"] }],
  indexes: [{ properties: ["gymId", "memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    documentId: { type: "uuid" },
    memberId: { type: "uuid" },
    version: { type: "string", length: 40 },
    textHash: { type: "string", length: 64 },
    typedName: { type: "string", length: 200 },
    signedAt: { type: EpochMsType },
    ip: { type: "string", length: 64 },
    userAgent: { type: "string", length: 400 },
  },
});

/** When a member was last reminded of a waiver version (at most once a day; `gym:remindWaiver`). */
export interface WaiverReminder {
  gymId: string;
  documentId: string;
  memberId: string;
  remindedAt: number;
}

export const WaiverReminderEntity = new EntitySchema<WaiverReminder>({
  name: "WaiverReminder",
  tableName: "waiver_reminder",
  properties: {
    gymId: { type: "uuid" },
    documentId: { type: "uuid", primary: true },
    memberId: { type: "uuid", primary: true },
    remindedAt: { type: EpochMsType },
  },
});

/** Staff were told a member came to the desk without the signed waiver, on this gym-local day (once a day; the gym room's commit). */
export interface WaiverAlert {
  gymId: string;
  memberId: string;
  day: string;
  at: number;
}

export const WaiverAlertEntity = new EntitySchema<WaiverAlert>({
  name: "WaiverAlert",
  tableName: "waiver_alert",
  properties: {
    gymId: { type: "uuid", primary: true },
    memberId: { type: "uuid", primary: true },
    day: { type: "string", length: 10, primary: true },
    at: { type: EpochMsType },
  },
});

/** A member's photo for the desk card: one per member per gym, replaced on upload (size and type checked in the table too). */
export interface MemberPhoto {
  gymId: string;
  memberId: string;
  contentType: string;
  bytes: Buffer;
  updatedAt: number;
  updatedBy: string;
}

export const MemberPhotoEntity = new EntitySchema<MemberPhoto>({
  name: "MemberPhoto",
  tableName: "member_photo",
  checks: [
    { name: "member_photo_size", expression: "octet_length(bytes) <= 524288" },
    { name: "member_photo_type", expression: "content_type ~ '^image/(jpeg|png|webp)$'" },
  ],
  properties: {
    gymId: { type: "uuid", primary: true },
    memberId: { type: "uuid", primary: true },
    contentType: { type: "string", length: 16 },
    bytes: { type: "blob" },
    updatedAt: { type: EpochMsType },
    updatedBy: { type: "uuid" },
  },
});
