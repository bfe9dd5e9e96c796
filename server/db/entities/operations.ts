import { BigIntType, EntitySchema } from "@mikro-orm/core";
import { EpochMsType } from "../EpochMsType.js";

/** Idempotency: the first result of a client's command id, so a retry never applies twice. */
export interface ProcessedCommand {
  userId: string;
  commandId: string;
  gymId: string | null;
  room: string;
  type: string;
  response: unknown;
  createdAt: number;
}

/** Keyed per room and user: a room hydrates its recent commands and answers retries from memory. */
export const ProcessedCommandEntity = new EntitySchema<ProcessedCommand>({
  name: "ProcessedCommand",
  tableName: "processed_command",
  indexes: [{ properties: ["room", "createdAt"] }],
  properties: {
    room: { type: "string", length: 80, primary: true },
    userId: { type: "uuid", primary: true },
    commandId: { type: "string", length: 64, primary: true },
    gymId: { type: "uuid", nullable: true },
    type: { type: "string", length: 64 },
    response: { type: "json" },
    createdAt: { type: EpochMsType },
  },
});

/** Append-only, hash-chained per gym: each row carries the hash of the previous row of its gym. */
export interface AuditLog {
  id: string;
  gymId: string;
  seq: number;
  at: number;
  actorId: string | null;
  role: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: unknown;
  commandId: string | null;
  prevHash: string;
  hash: string;
  /** The chain this row belongs to: a room id, or the gym id for the gym-level chain (see domain/audit/chain.ts). */
  chain: string;
  /** Place in the gym's trail across its chains (`nextval('audit_log_pos_seq')` on insert: a number, no lock). */
  pos: number;
}

export const AuditLogEntity = new EntitySchema<AuditLog>({
  name: "AuditLog",
  tableName: "audit_log",
  uniques: [{ properties: ["chain", "seq"] }],
  indexes: [
    { properties: ["gymId", "pos"] },
    // A gym's bulk messages of the last hour (their rate limit), counted without reading the rest of its trail.
    {
      name: "audit_log_segment_message_index",
      expression: `create index "audit_log_segment_message_index" on "audit_log" ("gym_id", "at") where "action" = 'gym:segmentMessage'`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    seq: { type: "integer" },
    at: { type: EpochMsType },
    actorId: { type: "uuid", nullable: true },
    role: { type: "string", length: 16, nullable: true },
    action: { type: "string", length: 64 },
    entityType: { type: "string", length: 40 },
    entityId: { type: "string", length: 64, nullable: true },
    summary: { type: "json" },
    commandId: { type: "string", length: 64, nullable: true },
    prevHash: { type: "string", length: 64 },
    hash: { type: "string", length: 64 },
    chain: { type: "string", length: 80 },
    pos: { type: new BigIntType("number") },
  },
});

/**
 * The last link of each gym-level audit chain. Appends to it (anchors of room chains, a gym's own rows) lock this
 * row first; room chains never touch it (see `server/audit/auditWriter.ts`).
 */
export interface AuditHead {
  gymId: string;
  seq: number;
  hash: string;
}

export const AuditHeadEntity = new EntitySchema<AuditHead>({
  name: "AuditHead",
  tableName: "audit_head",
  properties: {
    gymId: { type: "uuid", primary: true },
    seq: { type: "integer" },
    hash: { type: "string", length: 64 },
  },
});

/** A room commit's side effects waiting to be applied (see `server/persistence/outbox.ts`); deleted when applied. */
export interface RoomOutbox {
  id: string;
  gymId: string;
  room: string;
  payload: unknown;
  createdAt: number;
}

export const RoomOutboxEntity = new EntitySchema<RoomOutbox>({
  name: "RoomOutbox",
  tableName: "room_outbox",
  indexes: [{ properties: ["createdAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    room: { type: "string", length: 80 },
    payload: { type: "json" },
    createdAt: { type: EpochMsType },
  },
});

/**
 * Fencing for room ownership: every commit of a room checks and keeps `fence`;
 * a node whose fence is lower than the stored one is a stale owner and its commit is refused.
 */
export interface RoomFence {
  roomId: string;
  fence: number;
  ownerNode: string;
  updatedAt: number;
}

export const RoomFenceEntity = new EntitySchema<RoomFence>({
  name: "RoomFence",
  tableName: "room_fence",
  properties: {
    roomId: { type: "string", length: 80, primary: true },
    fence: { type: new BigIntType("number") },
    ownerNode: { type: "string", length: 64 },
    updatedAt: { type: EpochMsType },
  },
});

/** A member's private iCal feed: the token is the secret in the URL; revoking replaces it. */
export interface CalendarFeed {
  userId: string;
  token: string;
  createdAt: number;
}

export const CalendarFeedEntity = new EntitySchema<CalendarFeed>({
  name: "CalendarFeed",
  tableName: "calendar_feed",
  properties: {
    userId: { type: "uuid", primary: true },
    token: { type: "string", length: 64, unique: true },
    createdAt: { type: EpochMsType },
  },
});
