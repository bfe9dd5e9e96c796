/**
 * The dispatch table is the one list of requests answered outside the rooms: every request schema has exactly one
 * entry, and docs/protocol.md names exactly the table's requests, the room commands and the socket events.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CommandSchemas } from "../../../domain/protocol/commands.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../domain/protocol/envelope.js";
import { RequestSchemas } from "../../../domain/protocol/requests.js";
import { mayAsk } from "../../../server/realtime/requestDispatch.js";
import { RequestEntries, RequestTable } from "../../../server/realtime/requestTable.js";

/** The socket events (not commands): the compiler keeps this list equal to the typed event maps. */
const Events = {
  "room:join": true, "room:leave": true, command: true, "auth:renew": true,
  "room:delta": true, "room:reset": true, "auth:expired": true, "feed:posted": true, "board:changed": true, "leads:changed": true,
} as const satisfies Record<keyof ClientToServerEvents | keyof ServerToClientEvents, true>;

const protocolDoc = readFileSync(new URL("../../../docs/protocol.md", import.meta.url), "utf8");
/** Every `area:verb` the doc names in code (`gym:invite {}` counts; room ids like `gym:<id>` do not). */
const namedInDoc = new Set([...protocolDoc.matchAll(/`([a-z]+:[A-Za-z]+)(?=[`\s])/g)].map((m) => m[1]!));

describe("the request dispatch table", () => {
  it("has exactly one entry per request schema", () => {
    expect(Object.keys(RequestTable).sort()).toEqual(Object.keys(RequestSchemas).sort());
    expect(RequestEntries.length, "a type listed twice").toBe(Object.keys(RequestTable).length);
  });

  it("never names a room command (one road per message type)", () => {
    for (const type of Object.keys(RequestTable)) expect(Object.hasOwn(CommandSchemas, type), type).toBe(false);
  });

  it("docs/protocol.md lists every request of the table and every room command", () => {
    const missing = [...Object.keys(RequestTable), ...Object.keys(CommandSchemas)].filter((type) => !namedInDoc.has(type));
    expect(missing, "add them to docs/protocol.md").toEqual([]);
  });

  it("docs/protocol.md lists no message that is neither in the table, a room command nor a socket event", () => {
    const known = new Set([...Object.keys(RequestTable), ...Object.keys(CommandSchemas), ...Object.keys(Events)]);
    expect([...namedInDoc].filter((type) => !known.has(type)), "not a message Spotter answers").toEqual([]);
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
