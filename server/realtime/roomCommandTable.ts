/**
 * The room commands' lines of the one message table (`messageTable.ts`): message type → the room actor that decides it
 * (its kind), the payload schema (`CommandSchemas[type]`), who may send it, whether staff use is audited, and its rate
 * class — the same {@link RateClass} and {@link GymRoles} words as the requests answered by use cases (`requestTable.ts`).
 *
 * Who may send a room command can depend on its payload: naming another member (`memberId`) or asking for more
 * (`withFee`, `override`) needs other roles than acting for oneself. The rooms and `domain/class` decide it against the
 * room's state; this table states it, and the authorization matrix proves the two agree over real sockets.
 */
import type { z } from "zod";
import { CommandSchemas, type CommandPayload, type CommandType } from "../../domain/protocol/commands.js";
import { AdminRoles, CoachRoles, DeskRoles } from "../../domain/roles.js";
import type { GymRoles, RateClass } from "./requestTable.js";

/** The room actor kind a command goes to (`class:<session>`, `gym:<gym>`, `user:<me>`). */
export type CommandRoom = "class" | "gym" | "user";

/**
 * Who may send a command: one rule for everyone, `self` (only on the caller's own `user:` room), or per payload —
 * `other` when it names another member than the caller, `when[field]` when that field is set (it wins over both).
 */
export type CommandRoles<K extends CommandType = CommandType> =
  GymRoles | "self" | { self: GymRoles; other: GymRoles; when?: Partial<Record<keyof CommandPayload<K> & string, GymRoles>> };

export interface RoomCommandEntry<K extends CommandType = CommandType> {
  type: K;
  road: "room";
  room: CommandRoom;
  schema: z.ZodType<CommandPayload<K>>;
  roles: CommandRoles<K>;
  /** Staff use leaves an audit row (every class and schedule change is written with its audit row). */
  audited: boolean;
  rate: RateClass;
}

/** A command of a room actor: its room kind, who may send it, whether staff use is audited. */
function command<K extends CommandType>(
  type: K,
  room: CommandRoom,
  roles: CommandRoles<K>,
  audit: "audited" | "unaudited",
): RoomCommandEntry<K> {
  return {
    type,
    road: "room",
    room,
    schema: CommandSchemas[type] as unknown as z.ZodType<CommandPayload<K>>,
    roles,
    audited: audit === "audited",
    rate: "command",
  };
}

/** For oneself any member; for another member staff. */
const selfOrStaff = { self: "members", other: "staff" } as const;

/** Every room command, in the order of docs/protocol.md. */
export const RoomCommandEntries = [
  // ── A class session (rooms/ClassRoom.ts over domain/class) ──
  command("class:book", "class", selfOrStaff, "audited"),
  command("class:cancelBooking", "class", { ...selfOrStaff, when: { withFee: CoachRoles } }, "audited"),
  command("class:leaveWaitlist", "class", selfOrStaff, "audited"),
  command("class:claimOffer", "class", selfOrStaff, "audited"),
  command("class:promote", "class", "staff", "audited"),
  command("class:setCapacity", "class", CoachRoles, "audited"),
  command("class:cancel", "class", CoachRoles, "audited"),
  command("class:checkIn", "class", { ...selfOrStaff, when: { override: DeskRoles } }, "audited"),
  command("class:undoCheckIn", "class", "staff", "audited"),
  command("class:markNoShow", "class", "staff", "audited"),
  // Staff; undoing a no-show that carries a fee is for owners and admins (decided in domain/class/noShow.ts: FeeOverrideRoles).
  command("class:undoNoShow", "class", "staff", "audited"),
  command("class:close", "class", "staff", "audited"),
  command("class:setWorkout", "class", CoachRoles, "audited"),
  command("class:logResult", "class", selfOrStaff, "audited"),

  // ── The gym: the desk's check-in and the schedule (rooms/GymRoom.ts) ──
  command("gym:checkIn", "gym", { self: "staff", other: "staff", when: { override: DeskRoles } }, "audited"),
  command("schedule:createClassType", "gym", AdminRoles, "audited"),
  command("schedule:createSession", "gym", AdminRoles, "audited"),
  command("schedule:createSeries", "gym", AdminRoles, "audited"),
  command("schedule:updateSession", "gym", CoachRoles, "audited"),

  // ── My inbox (rooms/UserRoom.ts) ──
  command("inbox:markRead", "user", "self", "unaudited"),
  command("inbox:markAllRead", "user", "self", "unaudited"),
  command("inbox:page", "user", "self", "unaudited"),
] as const;

/**
 * The roles a command with this payload needs from `callerId`: `self` for the caller's own room, else a
 * {@link GymRoles} (see {@link CommandRoles}).
 */
export function commandRoles(entry: RoomCommandEntry, payload: unknown, callerId: string): GymRoles | "self" {
  const r = entry.roles;
  if (typeof r === "string" || Array.isArray(r)) return r as GymRoles | "self";
  const rule = r as Exclude<CommandRoles, GymRoles | "self">;
  const p = (payload ?? {}) as Record<string, unknown>;
  for (const [field, roles] of Object.entries(rule.when ?? {}) as [string, GymRoles][])
    if (p[field] !== undefined && p[field] !== false) return roles;
  return typeof p.memberId === "string" && p.memberId !== callerId ? rule.other : rule.self;
}
