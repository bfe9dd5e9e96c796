/**
 * The one message table: every message type a client sends in a `command` frame → how it is answered. A room
 * command goes to its room actor (`roomCommandTable.ts`); every other request is a use case of `app/`
 * (`requestTable.ts`). Both kinds name their payload schema, who may send them, whether staff use is audited and one
 * rate class; the socket layer looks types up here only (`socketProtocol.ts`), the authorization matrix and
 * docs/protocol.md are checked against it (`test/server/realtime/authorizationMatrix.test.ts`, `requestTable.test.ts`).
 */
import type { CommandType } from "../../domain/protocol/commands.js";
import type { RequestType } from "../../domain/protocol/requests.js";
import { RoomCommandEntries, type RoomCommandEntry } from "./roomCommandTable.js";
import { RequestEntries, type RequestEntry } from "./requestTable.js";

/** Every type a `command` frame may name. */
export type MessageType = CommandType | RequestType;
export type MessageEntry = RoomCommandEntry | RequestEntry<unknown>;

type ListedCommand = (typeof RoomCommandEntries)[number]["type"];
/** Fails to compile while a room command schema has no line (`[never]` when every command is listed). */
const everyCommandListed: [Exclude<CommandType, ListedCommand>] extends [never] ? true : never = true;
/** Fails to compile when a type is both a room command and a request (one road per message type). */
const oneRoadEach: [Extract<CommandType, RequestType>] extends [never] ? true : never = true;
void everyCommandListed;
void oneRoadEach;

/** The table: message type → its entry. */
export const MessageTable = Object.fromEntries(
  [...RoomCommandEntries, ...(RequestEntries as readonly RequestEntry<never>[])].map((e) => [e.type, e]),
) as unknown as Readonly<Record<MessageType, MessageEntry>>;

/** The entry of `type`, if it is a message of the table (own keys only: `constructor` is not one). */
export function messageEntry(type: string): MessageEntry | undefined {
  return Object.hasOwn(MessageTable, type) ? MessageTable[type as MessageType] : undefined;
}

/** The room command entry of `type`, if `type` is a room command. */
export function roomCommand(type: string): RoomCommandEntry | undefined {
  const entry = messageEntry(type);
  return entry?.road === "room" ? entry : undefined;
}
