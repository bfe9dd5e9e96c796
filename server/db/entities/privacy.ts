import { EntitySchema } from "@mikro-orm/core";
import type { Consent, DeletionRequest, LegalHold } from "../../../domain/privacy.js";
import { EpochMsType } from "../EpochMsType.js";

/** Accepted policy versions; the database refuses UPDATE and DELETE (see the migration). */
export const ConsentEntity = new EntitySchema<Consent>({
  name: "Consent",
  tableName: "consent",
  indexes: [{ properties: ["userId", "kind"] }],
  properties: {
    id: { type: "uuid", primary: true },
    userId: { type: "uuid" },
    kind: { type: "string", length: 16 },
    version: { type: "string", length: 40 },
    acceptedAt: { type: EpochMsType },
  },
});

export const DeletionRequestEntity = new EntitySchema<DeletionRequest>({
  name: "DeletionRequest",
  tableName: "deletion_request",
  properties: {
    id: { type: "uuid", primary: true },
    userId: { type: "uuid", unique: true },
    requestedAt: { type: EpochMsType },
    approvedAt: { type: EpochMsType, nullable: true },
    approvedBy: { type: "uuid", nullable: true },
    approvedGymId: { type: "uuid", nullable: true },
  },
});

export const LegalHoldEntity = new EntitySchema<LegalHold>({
  name: "LegalHold",
  tableName: "legal_hold",
  uniques: [{ properties: ["gymId", "userId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    userId: { type: "uuid", index: true },
    active: { type: "boolean" },
    reason: { type: "string", length: 500 },
    setBy: { type: "uuid" },
    setAt: { type: EpochMsType },
  },
});

/** A user's "tokens valid after": every token issued at or before it is refused (sign out everywhere, access changes, deletion). */
export interface TokenRevocation {
  userId: string;
  validAfter: number;
}

export const TokenRevocationEntity = new EntitySchema<TokenRevocation>({
  name: "TokenRevocation",
  tableName: "token_revocation",
  properties: {
    userId: { type: "uuid", primary: true },
    validAfter: { type: EpochMsType, index: true },
  },
});
