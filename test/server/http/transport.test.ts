import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { startTestServer, type TestServer } from "../../support/services.js";

// The same assertions on both transports: uWebSockets.js (native) and node:http (Deno, fallback).
const metricsToken = "m".repeat(40);
const operator = { headers: { authorization: `Bearer ${metricsToken}` } };

describe.each(["uws", "node"] as const)("HTTP and Socket.IO on TRANSPORT=%s", (transport) => {
  let t: TestServer;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestServer({ TRANSPORT: transport, METRICS_TOKEN: metricsToken });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.cleanup();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${t.server.url}${path}`, init);

  it("runs on the requested transport", () => {
    expect(t.server.transport).toBe(transport);
  });

  // Regression (trust issue, item 3): /health and /ready printed the node id (host name and PID) to anyone.
  it("answers /health and /ready to anonymous callers with nothing internal", async () => {
    const health = await get("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await get("/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: { ok: true }, redis: { ok: true, configured: false } });
  });

  it("tells the holder of METRICS_TOKEN the node id and the database kind in /health and /ready", async () => {
    expect(await (await get("/health", operator)).json()).toEqual({ status: "ok", node: t.config.NODE_ID });
    expect(await (await get("/ready", operator)).json()).toEqual({
      ready: true,
      node: t.config.NODE_ID,
      database: { ok: true, kind: "pglite" },
      redis: { ok: true, configured: false },
    });
  });

  // Regression (item 10): /metrics (booking and check-in volume by type) was public.
  it("refuses /metrics without the METRICS_TOKEN bearer, or with a wrong one", async () => {
    for (const authorization of [undefined, "Bearer ", `Bearer ${"m".repeat(39)}`, `Bearer ${"m".repeat(40)}x`, `Basic ${metricsToken}`]) {
      const res = await get("/metrics", authorization === undefined ? {} : { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    }
  });

  it("exports Prometheus metrics at /metrics to the METRICS_TOKEN bearer", async () => {
    const res = await get("/metrics", operator);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const body = await res.text();
    expect(body).toMatch(/^# TYPE spotter_connections gauge$/m);
    expect(body).toMatch(/^# TYPE spotter_commands_total counter$/m);
  });

  it("refuses an oversized POST with 413 before any route runs", async () => {
    const res = await get("/health", { method: "POST", body: "x".repeat(200 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it.each([
    ["POST", "/nope"],
    ["DELETE", "/health"],
    ["PUT", "/api/v1/anything"],
  ])("answers %s %s with a 404 JSON error", async (method, path) => {
    const res = await get(path, { method, body: method === "DELETE" ? undefined : "{}" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
  });

  it("never answers 500 for odd paths", async () => {
    for (const path of ["/missing.js", "/admin/missing.css", "/%", "/..%2f..%2fetc%2fpasswd", `/${"a".repeat(4000)}`]) {
      const res = await get(path);
      await res.arrayBuffer();
      // 200 = single-page-app fallback, 503 = web apps not built yet
      expect([200, 404, 503], `${path.slice(0, 40)} → ${res.status}`).toContain(res.status);
    }
  });

  const open = (token: string | undefined) => {
    const socket = connect(t.server.url, { transports: ["websocket"], auth: token === undefined ? {} : { token }, reconnection: false });
    sockets.push(socket);
    return socket;
  };

  it("refuses a Socket.IO handshake with an invalid token, saying why", async () => {
    const err = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
      const socket = open("not-a-jwt");
      socket.on("connect", () => reject(new Error("connected with an invalid token")));
      socket.on("connect_error", resolve);
    });
    expect(err.message).toBe("The token is not valid — sign in again.");
    expect(err.data).toEqual({ code: "UNAUTHENTICATED" });
  });

  it("refuses a Socket.IO handshake without a token", async () => {
    const err = await new Promise<Error>((resolve) => open(undefined).on("connect_error", resolve));
    expect(err.message).toMatch(/no token/);
  });

  it("accepts a Socket.IO websocket handshake with a signed token and counts the connection", async () => {
    const token = await signToken(t.server.jwtSecret!, randomUUID());
    const socket = open(token);
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", resolve);
      socket.on("connect_error", reject);
    });
    expect(socket.io.engine.transport.name).toBe("websocket");
    const metrics = await (await get("/metrics", operator)).text();
    expect(metrics).toMatch(/^spotter_connections 1$/m);
    socket.disconnect();
  });
});

// Regression (issue 21): after a uWS node stopped, a client's kept-alive connection was still answered by the stopped
// node — 500s from its closed database — even once a new node listened on the port (a desk never signed in again).
describe.each(["uws", "node"] as const)("a stopped node on TRANSPORT=%s", (transport) => {
  it("answers a kept-alive connection with no 500: the connection is cut or told 503", async () => {
    const { Agent, request } = await import("node:http");
    const t = await startTestServer({ TRANSPORT: transport });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<number | "cut">((resolve) => {
        const req = request(`${t.server.url}/health`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", () => resolve("cut"));
        req.end();
      });
    try {
      expect(await get()).toBe(200);
      await t.server.close();
      expect([503, "cut"]).toContain(await get());
    } finally {
      agent.destroy();
      await t.cleanup();
    }
  });
});
