import { randomUUID } from "node:crypto";
import { classAuditDrafts } from "../../domain/audit/classAudit.js";
import type { ClassStateEvent } from "../../domain/class/events.js";
import type { ClassState } from "../../domain/class/state.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { parseRoomId } from "../../domain/protocol/envelope.js";
import { mapObjects } from "../../domain/shapes.js";
import type { GymChange } from "../../rooms/GymRoom.js";
import type { AuditHead, ProcessedRecord } from "../../rooms/ports.js";
import { linkRoomRows } from "./auditWriter.js";
import { gymAuditDrafts } from "./gymAudit.js";

const resultOf = (p: ProcessedRecord) => (p.response.ok ? p.response.result : null);
const rolesOf = (processed: readonly ProcessedRecord[]) => new Map(processed.map((p) => [p.userId, p.role ?? null]));

/** A class commit's audit rows, linked onto the room's chain after `head` (written by the commit itself). */
export function classAuditRows(
  room: RoomId,
  head: AuditHead,
  base: ClassState,
  events: readonly ClassStateEvent[],
  processed: readonly ProcessedRecord[],
  now: number,
) {
  // An object-elements list (domain/shapes.ts): `map` inlined by TurboFan gave a holey array, the builtin a packed one.
  const commands = mapObjects(processed, (p) => ({
    userId: p.userId,
    commandId: p.commandId,
    type: p.type,
    result: resultOf(p),
    at: p.createdAt,
  }));
  const drafts = classAuditDrafts(base, events, commands, { now, newId: randomUUID });
  return linkRoomRows(base.session.gymId, room, head, drafts, rolesOf(processed));
}

/** A gym commit's audit rows, linked onto the gym room's chain after `head`. */
export function gymAuditRows(
  room: RoomId,
  head: AuditHead,
  changes: readonly GymChange[],
  processed: readonly ProcessedRecord[],
  now: number,
) {
  return linkRoomRows(parseRoomId(room).id, room, head, gymAuditDrafts(changes, processed, { now, newId: randomUUID }), rolesOf(processed));
}
