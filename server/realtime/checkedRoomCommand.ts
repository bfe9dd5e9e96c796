/**
 * A room command's checks after its envelope, the same for a socket's `command` frame (`socketProtocol.ts`) and the
 * start-up warm-up's storm (`server/warmRuntime.ts`, so the node optimises this very code before it serves): the type
 * in the message table, the payload's schema, the caller's access to the room.
 */
import { refuse } from "../../domain/protocol/acks.js";
import { parsePayload } from "../../domain/protocol/commands.js";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { Caller } from "../../rooms/ports.js";
import type { Access, AccessControl } from "./access.js";
import { roomCommand } from "./messageTable.js";

/** Who sends it and its parsed payload, or the refusal to answer with. */
type Refusal = Extract<Ack<never>, { ok: false }>;
export type CheckedRoomCommand = { ok: true; caller: Caller; payload: unknown } | Refusal;

/** Answered at once when the access is known in memory (no promise on the hot path), else once it is read. */
export function checkedRoomCommand(
  access: AccessControl,
  userId: string,
  room: RoomId,
  type: string,
  payload: unknown,
): CheckedRoomCommand | Promise<CheckedRoomCommand> {
  const entry = roomCommand(type);
  if (!entry)
    return refuse("VALIDATION_FAILED", `Unknown command "${type.slice(0, 64)}".`, { fields: { type: "Unknown command" } }) as Refusal;
  const valid = parsePayload(entry.schema, payload);
  if (!valid.ok) return { ok: false, error: valid.error };
  const decide = (checked: Access): CheckedRoomCommand =>
    checked.ok ? { ok: true, caller: checked.caller, payload: valid.value } : (refuse(checked.code, checked.message) as Refusal);
  const known = access.checkNow(userId, room);
  return known ? decide(known) : access.check(userId, room).then(decide);
}
