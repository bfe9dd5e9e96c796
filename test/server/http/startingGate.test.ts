import { describe, expect, it } from "vitest";
import { json, Router, type HttpRequest } from "../../../server/http/router.js";
import { StartingGate } from "../../../server/http/startingGate.js";

const request = (path: string): HttpRequest => ({
  method: "GET",
  path,
  query: new URLSearchParams(),
  headers: {},
  body: new Uint8Array(),
  ip: "127.0.0.1",
});

describe("the start-up gate (the port is bound before migrations run)", () => {
  it("says 'starting' on /health and 503 UNAVAILABLE elsewhere until the router is installed, then hands over", async () => {
    const gate = new StartingGate();
    expect(gate.isOpen).toBe(false);
    const health = await gate.handle(request("/health"));
    expect(health.status).toBe(503);
    expect(JSON.parse(String(health.body))).toEqual({ status: "starting" });
    for (const path of ["/ready", "/", "/admin/", "/api/gyms/x/members.csv", "/metrics"]) {
      const out = await gate.handle(request(path));
      expect(out.status, path).toBe(503);
      expect(JSON.parse(String(out.body)), path).toEqual({ error: { code: "UNAVAILABLE", message: expect.any(String) } });
    }
    gate.open(new Router().get("/health", () => json(200, { status: "ok" })));
    expect(gate.isOpen).toBe(true);
    expect(JSON.parse(String((await gate.handle(request("/health"))).body))).toEqual({ status: "ok" });
    expect((await gate.handle(request("/ready"))).status).toBe(404);
  });
});
