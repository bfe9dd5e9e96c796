import { EntitySchema } from "@mikro-orm/core";
import { EpochMsType } from "../EpochMsType.js";

/**
 * Staff reads of personal data waiting to enter their gym's audit chain (`server/audit/readAudit.ts`): a read
 * inserts one row here — no chain lock on its path — and a drainer appends them to the chain within a second.
 */
export interface AuditOutbox {
  id: string;
  gymId: string;
  at: number;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: unknown;
  commandId: string | null;
}

export const AuditOutboxEntity = new EntitySchema<AuditOutbox>({
  name: "AuditOutbox",
  tableName: "audit_outbox",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    at: { type: EpochMsType },
    actorId: { type: "uuid" },
    action: { type: "string", length: 64 },
    entityType: { type: "string", length: 40 },
    entityId: { type: "string", length: 64, nullable: true },
    summary: { type: "json" },
    commandId: { type: "string", length: 64, nullable: true },
  },
});
