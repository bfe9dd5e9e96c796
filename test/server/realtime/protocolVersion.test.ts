/**
 * The protocol version: the server states it in `server:hello`, the first frame of every connection, with the version
 * the app stated in its handshake; an app from before versions is still admitted. The app side's comparison
 * (`protocolFit`) decides between reading on, a reload suggested, and closing instead of misreading.
 */
import { describe, expect, it } from "vitest";
import { io } from "socket.io-client";
import { signToken } from "../../../server/auth.js";
import { OLDEST_SERVED_PROTOCOL, PROTOCOL_VERSION, appProtocol, protocolFit, type ServerHello } from "../../../domain/protocol/version.js";
import { gymSuite } from "../../support/gymSuite.js";

describe("the protocol version", () => {
  const s = gymSuite({ members: 1 });

  async function hello(auth: Record<string, unknown>): Promise<{ hello: ServerHello; firstEvent: string; me: unknown }> {
    const token = await signToken(s.t.server.jwtSecret!, s.gym.members[0]!.id, 600);
    const socket = io(s.t.server.url, { auth: { token, ...auth }, transports: ["websocket"], reconnection: false, forceNew: true });
    const events: string[] = [];
    socket.onAny((event: string) => events.push(event));
    try {
      const said = new Promise<ServerHello>((resolve) => socket.once("server:hello", resolve));
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      const got = await said;
      // The connection is served as before: a request answers.
      const me = await socket
        .timeout(20_000)
        .emitWithAck("command", { commandId: crypto.randomUUID(), room: `user:${s.gym.members[0]!.id}`, type: "user:me", payload: {} });
      return { hello: got, firstEvent: events[0]!, me };
    } finally {
      socket.close();
    }
  }

  it("states its version first on every connection, with the app's version as it read it", async () => {
    const current = await hello({ protocol: PROTOCOL_VERSION });
    expect(current.hello).toEqual({ protocol: PROTOCOL_VERSION, oldest: OLDEST_SERVED_PROTOCOL, app: PROTOCOL_VERSION });
    expect(current.firstEvent).toBe("server:hello");
    expect(current.me).toMatchObject({ ok: true });
    expect(PROTOCOL_VERSION).toBe(2); // the roster wire change (domain/views/rosterWire.ts)
  });

  it("admits an app from before versions (no auth.protocol) and tells it it is version 1", async () => {
    const old = await hello({});
    expect(old.hello).toEqual({ protocol: PROTOCOL_VERSION, oldest: OLDEST_SERVED_PROTOCOL, app: 1 });
    expect(old.me).toMatchObject({ ok: true });
    for (const odd of [{ protocol: "2" }, { protocol: 2.5 }, { protocol: -1 }, null, undefined]) expect(appProtocol(odd)).toBe(1);
  });

  it("compares on the app's side: the same version reads on, a served older one suggests a reload, anything else closes", () => {
    expect(protocolFit(2, { protocol: 2, oldest: 2 })).toBe("current");
    expect(protocolFit(2, { protocol: 3, oldest: 2 })).toBe("served");
    expect(protocolFit(2, { protocol: 4, oldest: 3 })).toBe("unreadable");
    expect(protocolFit(3, { protocol: 2, oldest: 2 })).toBe("unreadable"); // a rollback: the app is newer
    expect(protocolFit(2, null)).toBe("unreadable"); // a server from before versions: no hello
    expect(protocolFit(1, null)).toBe("current");
  });
});
