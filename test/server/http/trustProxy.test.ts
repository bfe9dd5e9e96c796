import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { clientAddress } from "../../../server/http/clientAddress.js";
import { startTestServer, type TestServer } from "../../support/services.js";

// Behind a TLS-terminating proxy every peer is the proxy: without TRUST_PROXY the per-address limits lump the whole
// gym together and the dev mailbox's loopback check passes for everyone who reaches the proxy.
describe("clientAddress", () => {
  it("ignores X-Forwarded-For unless proxies are trusted", () => {
    expect(clientAddress("10.0.0.1", "203.0.113.9", 0)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", undefined, 1)).toBe("10.0.0.1");
  });
  it("counts trusted proxies from the right, so a client cannot pick its own address", () => {
    expect(clientAddress("10.0.0.1", "203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.1", "1.2.3.4, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1", 2)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.1", ["1.2.3.4", "203.0.113.9"], 1)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.1", "203.0.113.9", 5)).toBe("203.0.113.9");
  });
});

describe.each([
  { trust: "0", separate: false },
  { trust: "1", separate: true },
])("a node behind a proxy with TRUST_PROXY=$trust", ({ trust, separate }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ TRUST_PROXY: trust, HTTP_REQUESTS_PER_SECOND_PER_IP: "1", MAX_SOCKETS_PER_IP: "1" });
  });
  afterAll(() => t?.cleanup());

  const from = (address: string, path = "/health") => fetch(`${t.server.url}${path}`, { headers: { "x-forwarded-for": address } });

  it(
    separate
      ? "shows the dev mailbox only to a client on the proxy's machine"
      : "treats every client of a local proxy as local (why TRUST_PROXY exists)",
    async () => {
      expect((await from("198.51.100.7", "/api/dev-mail")).status).toBe(separate ? 403 : 200);
    },
  );

  it(separate ? "budgets HTTP requests per forwarded client" : "budgets HTTP requests per peer, whatever the header says", async () => {
    let last = 200;
    for (let i = 0; i < 12 && last !== 429; i++) last = (await from("203.0.113.1")).status;
    expect(last).toBe(429);
    expect((await from("203.0.113.2")).status).toBe(separate ? 200 : 429);
    // A client prepending an address of its choice is still counted as itself.
    expect((await from("203.0.113.2, 203.0.113.1")).status).toBe(429);
  });

  it(separate ? "counts sockets per forwarded client" : "counts sockets per peer", async () => {
    const open = async (address: string) => {
      const token = await signToken(t.server.jwtSecret!, randomUUID(), 3600);
      const socket = io(t.server.url, {
        auth: { token },
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
        extraHeaders: { "x-forwarded-for": address },
      });
      const ok = await new Promise<boolean>((resolve) => {
        socket.once("connect", () => resolve(true));
        socket.once("connect_error", () => resolve(false));
      });
      return { socket, ok };
    };
    const first = await open("198.51.100.1");
    const second = await open("198.51.100.2");
    try {
      expect(first.ok).toBe(true);
      expect(second.ok).toBe(separate);
    } finally {
      first.socket.close();
      second.socket.close();
    }
  });
});
