/**
 * The message table is the one list of what a `command` frame may name: every room command and every request schema
 * has exactly one entry, and docs/protocol.md names exactly the table's messages and the socket events.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CommandSchemas } from "../../../domain/protocol/commands.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../domain/protocol/envelope.js";
import { RequestSchemas } from "../../../domain/protocol/requests.js";
import { mayAsk } from "../../../server/realtime/requestDispatch.js";
import { MessageTable, messageEntry, roomCommand } from "../../../server/realtime/messageTable.js";
import { commandRoles, RoomCommandEntries } from "../../../server/realtime/roomCommandTable.js";
import { RequestEntries, RequestTable } from "../../../server/realtime/requestTable.js";

/** The socket events (not commands): the compiler keeps this list equal to the typed event maps. */
const Events = {
  "room:join": true,
  "room:leave": true,
  command: true,
  "auth:renew": true,
  "room:delta": true,
  "room:reset": true,
  "auth:expired": true,
  "feed:posted": true,
  "board:changed": true,
  "leads:changed": true,
  "report:changed": true,
  "server:hello": true,
} as const satisfies Record<keyof ClientToServerEvents | keyof ServerToClientEvents, true>;

const protocolDoc = readFileSync(new URL("../../../docs/protocol.md", import.meta.url), "utf8");
/** Every `area:verb` the doc names in code (`gym:invite {}` counts; room ids like `gym:<id>` do not). */
const namedInDoc = new Set([...protocolDoc.matchAll(/`([a-z]+:[A-Za-z]+)(?=[`\s])/g)].map((m) => m[1]!));

describe("the message table", () => {
  it("has exactly one entry per request schema", () => {
    expect(Object.keys(RequestTable).sort()).toEqual(Object.keys(RequestSchemas).sort());
    expect(RequestEntries.length, "a type listed twice").toBe(Object.keys(RequestTable).length);
  });

  it("has exactly one entry per room command schema, each with that schema, and one road per message type", () => {
    expect(RoomCommandEntries.map((e) => e.type).sort()).toEqual(Object.keys(CommandSchemas).sort());
    for (const e of RoomCommandEntries) expect(e.schema, e.type).toBe(CommandSchemas[e.type]);
    for (const type of Object.keys(RequestTable)) expect(Object.hasOwn(CommandSchemas, type), type).toBe(false);
    expect(Object.keys(MessageTable).length).toBe(RoomCommandEntries.length + RequestEntries.length);
    expect(roomCommand("class:book")?.room).toBe("class");
    expect(roomCommand("gym:me")).toBeUndefined();
    expect(messageEntry("gym:me")?.road).toBe("useCase");
    expect(messageEntry("constructor")).toBeUndefined();
  });

  it("spends one rate class for room commands and requests alike", () => {
    expect(new Set(Object.values(MessageTable).map((e) => e.rate))).toEqual(new Set(["command"]));
  });

  it("names the roles a room command needs from its payload: another member, or a field that asks for more", () => {
    const book = roomCommand("class:book")!;
    const cancel = roomCommand("class:cancelBooking")!;
    expect(commandRoles(book, { sessionId: "s" }, "me")).toBe("members");
    expect(commandRoles(book, { sessionId: "s", memberId: "me" }, "me")).toBe("members");
    expect(commandRoles(book, { sessionId: "s", memberId: "you" }, "me")).toBe("staff");
    expect(commandRoles(cancel, { sessionId: "s", memberId: "you", withFee: false }, "me")).toBe("staff");
    expect(commandRoles(cancel, { sessionId: "s", memberId: "you", withFee: true }, "me")).toEqual(["owner", "admin", "coach"]);
    expect(commandRoles(roomCommand("inbox:page")!, {}, "me")).toBe("self");
  });

  it("docs/protocol.md lists every message of the table", () => {
    const missing = Object.keys(MessageTable).filter((type) => !namedInDoc.has(type));
    expect(missing, "add them to docs/protocol.md").toEqual([]);
  });

  it("docs/protocol.md lists no message that is neither in the table nor a socket event", () => {
    const known = new Set([...Object.keys(MessageTable), ...Object.keys(Events)]);
    expect(
      [...namedInDoc].filter((type) => !known.has(type)),
      "not a message Spotter answers",
    ).toEqual([]);
  });

  it("lets staff in any listed role, members only where all members may ask", () => {
    expect(mayAsk("members", false, "member")).toBe(true);
    expect(mayAsk("staff", false, "member")).toBe(false);
    expect(mayAsk("staff", true, "coach")).toBe(true);
    expect(mayAsk(["owner", "admin"], true, "coach")).toBe(false);
    expect(mayAsk(["owner", "admin"], true, "admin")).toBe(true);
    expect(mayAsk(["owner", "admin"], false, "admin")).toBe(false);
  });
});
