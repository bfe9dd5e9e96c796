import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { classAuditDrafts } from "../../domain/audit/classAudit.js";
import type { ClassStateEvent } from "../../domain/class/events.js";
import type { ClassState } from "../../domain/class/state.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { parseRoomId } from "../../domain/protocol/envelope.js";
import type { GymChange } from "../../rooms/GymRoom.js";
import type { ProcessedRecord } from "../../rooms/ports.js";
import { appendAudit } from "./auditWriter.js";
import { gymAuditDrafts } from "./gymAudit.js";

const resultOf = (p: ProcessedRecord) => (p.response.ok ? p.response.result : null);

/** Audits a class commit in its transaction; call it last there (it takes the gym's chain lock). */
export async function auditClassCommit(tx: EntityManager, base: ClassState, events: readonly ClassStateEvent[], processed: readonly ProcessedRecord[], now: number): Promise<void> {
  const commands = processed.map((p) => ({ userId: p.userId, commandId: p.commandId, type: p.type, result: resultOf(p), at: p.createdAt }));
  await appendAudit(tx, base.session.gymId, classAuditDrafts(base, events, commands, { now, newId: randomUUID }));
}

/** Audits a gym commit in its transaction; call it last there (it takes the gym's chain lock). */
export async function auditGymCommit(tx: EntityManager, room: RoomId, changes: readonly GymChange[], processed: readonly ProcessedRecord[], now: number): Promise<void> {
  await appendAudit(tx, parseRoomId(room).id, gymAuditDrafts(changes, processed, { now, newId: randomUUID }));
}
