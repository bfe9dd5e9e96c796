/**
 * Hostile HTTP on both transports: oversized and lying bodies, malformed request targets and queries,
 * bad bearer tokens, path traversal into the static apps, huge headers. Never a 5xx, the server stays
 * up, and where a request reaches our router the answer is an exact 4xx. A request the transport's own
 * HTTP parser rejects may instead be dropped (uWebSockets.js closes or ignores it) — also never a 5xx.
 * Every route is rate limited per address and, once the caller is known, per user (shared through Redis): 429 JSON.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { requireRedis, startTestServer, type TestServer } from "../../support/services.js";

/** What a raw request got: a status line, or the connection closed / stayed silent without one. */
type RawAnswer = { status: number; body: string } | { status: null; refused: "closed" | "silent" };

/** Sends bytes as they are (no client-side URL or header normalization) and reads the answer. */
function raw(port: number, request: string | Buffer, silentAfterMs = 1_500): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let data = "";
    const done = (refused: "closed" | "silent") => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      const split = data.indexOf("\r\n\r\n");
      const body = /^transfer-encoding: chunked/im.test(data.slice(0, split)) ? unchunk(data.slice(split + 4)) : data.slice(split + 4);
      resolve(m ? { status: Number(m[1]), body } : { status: null, refused });
    };
    const timer = setTimeout(() => done("silent"), silentAfterMs);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (data += chunk));
    socket.on("close", () => done("closed"));
    socket.on("error", () => done("closed"));
  });
}

function unchunk(s: string): string {
  let out = "";
  for (let at = 0; ;) {
    const eol = s.indexOf("\r\n", at);
    const size = parseInt(s.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += s.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

const shells = ["member-web/dist/index.html", "web-admin/dist/index.html"]
  .filter((f) => existsSync(f))
  .map((f) => readFileSync(f, "latin1"));
/** 200 is fine only as a single-page app's shell (its client-side router shows "not found"). */
const isAppShell = (a: RawAnswer) => a.status === 200 && shells.includes(a.body);

const get = (target: string, headers: string[] = []) =>
  [`GET ${target} HTTP/1.1`, "Host: spotter.test", ...headers, "Connection: close", "", ""].join("\r\n");
const appsBuilt = shells.length === 2;

describe.each(["uws", "node"] as const)("hostile HTTP on TRANSPORT=%s", (transport) => {
  let t: TestServer;
  let gym: GymFixture;
  const send = (request: string | Buffer, silentAfterMs?: number) => raw(t.server.port, request, silentAfterMs);
  const csv = (headers: Record<string, string>, query = "") =>
    fetch(`${t.server.url}/api/gyms/${gym.gymId}/members.csv${query}`, { headers });

  beforeAll(async () => {
    t = await startTestServer({ TRANSPORT: transport });
    gym = await aGym(t.server.db.orm, { members: 2 });
  }, 60_000);

  afterAll(async () => {
    // Every hostile request above left the server serving.
    if (t) expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
    await t?.cleanup();
  });

  it("answers bodies over 64 KiB with 413, declared or chunked, before any route runs", async () => {
    for (const path of ["/health", "/api/gyms/x/members.csv", "/ical/abc.ics", "/nope"]) {
      const res = await fetch(`${t.server.url}${path}`, { method: "POST", body: "x".repeat(200 * 1024) });
      expect(res.status, path).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    }
    const chunk = `10000\r\n${"a".repeat(0x10000)}\r\n`;
    const chunked = await send(
      `POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}${chunk}0\r\n\r\n`,
    );
    expect(chunked.status).toBe(413);
  });

  it("never answers 5xx to lying or unreadable framing (content-length, methods, request lines)", async () => {
    const requests = [
      "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\nabc",
      "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
      "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
      "FOO /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "\u0000\u0001\u0002garbage\r\n\r\n",
      "GET /health HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /socket.io/?EIO=99&transport=nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ];
    const answers = await Promise.all(requests.map((r) => send(r, 1_000)));
    answers.forEach((answer, i) => {
      if (answer.status !== null) expect(answer.status, JSON.stringify(requests[i]!.slice(0, 40))).toBeLessThan(500);
    });
  });

  it("regression: an absolute-form target that is no URL (GET http://[::1) threw outside the handler and stopped the node:http server", async () => {
    const answer = await send(get("http://[::1"), 1_000);
    if (transport === "node") expect(answer).toMatchObject({ status: 400 });
    // uWebSockets.js does not route absolute-form targets at all: it leaves them unanswered.
    else expect(answer.status === null || answer.status < 500).toBe(true);
    expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
  });

  it("answers malformed paths and queries on every route with 4xx (or the app shell), never 5xx", async () => {
    const exact: [string, number][] = [
      [`/api/gyms/${gym.gymId}/members.csv?token=%ZZ%`, 401],
      [`/api/gyms/${gym.gymId}/members.csv?token=${"a".repeat(9_000)}`, 401],
      ["/api/gyms/%ZZ/members.csv", 404],
      [`/api/gyms/${gym.gymId}%00/members.csv`, 404],
      ["/ical/%ZZ.ics", 404],
      ["/ical/..%2f..%2fpackage.json.ics", 404],
      [`/ical/${"a".repeat(65)}.ics`, 404],
      ["/health?%%%&&==&a=%E0%A4%A", 200],
    ];
    for (const [target, status] of exact) expect((await send(get(target))).status, target).toBe(status);
    // node:http resolves dot segments (→ /etc/passwd, the member app's shell); uWebSockets.js routes them as they are (→ 404).
    for (const target of ["/api/gyms/../../etc/passwd", "/api/../health/../x", "/ical/../../../etc/passwd"]) {
      const answer = await send(get(target));
      expect(
        isAppShell(answer) || (answer.status !== null && answer.status >= 400 && answer.status < 500),
        `${target} → ${answer.status}`,
      ).toBe(true);
    }
  });

  it("serves nothing outside the built apps for path traversal, encoded or not", async () => {
    const targets = [
      "/admin/../../package.json",
      "/../package.json",
      "/admin/%2e%2e/%2e%2e/package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/admin/..%2f..%2fpackage.json",
      "/admin/%252e%252e/%252e%252e/package.json",
      "/admin/..\\..\\package.json",
      "/admin/%c0%ae%c0%ae/package.json",
      "/admin/assets/../../../../etc/passwd",
      "/admin/%00/../package.json",
      "/.env",
      "/admin/.git/config",
    ];
    for (const target of targets) {
      const answer = await send(get(target));
      expect(answer.status, target).not.toBeNull();
      if (answer.status === null) continue;
      expect(answer.body, target).not.toMatch(/"name": "spotter"|"dependencies"|root:x:0:0|\[core\]/);
      // Apps built: 404, or the app shell for a path without an extension. Not built: 503 "run npm run build".
      if (appsBuilt) expect(answer.status === 404 || isAppShell(answer), `${target} → ${answer.status}`).toBe(true);
      else expect(answer.status, target).toBe(503);
    }
  });

  it("answers bad bearer tokens on the CSV export with 401, and valid ones by role", async () => {
    const secret = t.server.jwtSecret!;
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer " },
      { authorization: "Bearer not.a.jwt" },
      { authorization: "Basic b3duZXI6cGFzcw==" },
      { authorization: `Bearer ${await signToken("another-secret-of-at-least-32-chars!!", gym.ownerId)}` },
      { authorization: `Bearer ${await signToken(secret, gym.ownerId, -60)}` },
      {
        authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(`{"sub":"${gym.ownerId}","exp":9999999999}`).toString("base64url")}.`,
      },
      { authorization: `Bearer ${"a".repeat(9_000)}` },
    ];
    for (const headers of refused) {
      const res = await csv(headers);
      expect(res.status, JSON.stringify(headers).slice(0, 80)).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    }
    const as = async (userId: string) => ({ authorization: `Bearer ${await signToken(secret, userId)}` });
    expect((await csv(await as(gym.ownerId))).status).toBe(200);
    expect((await csv(await as(gym.members[0]!.id))).status).toBe(403);
  });

  // Regression (trust issue, item 9): `?token=` was accepted, and a token in a URL ends up in proxy logs and history.
  it("ignores a valid token in ?token= on the CSV exports: bearer header only", async () => {
    const token = await signToken(t.server.jwtSecret!, gym.ownerId);
    for (const file of ["members.csv", "attendance.csv"]) {
      const res = await fetch(`${t.server.url}/api/gyms/${gym.gymId}/${file}?token=${token}`);
      expect(res.status, file).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    }
  });

  // Regression (item 12): unknown /api GETs answered 200 with the member app's page.
  it("answers unknown /api paths with 404 JSON (stable code and message), never the app page", async () => {
    for (const path of ["/api", "/api/", "/api/nope", "/api/v1/members", "/api/gyms", "/api/me", "/api/me/export.csv"]) {
      for (const method of ["GET", "HEAD"]) {
        const res = await fetch(`${t.server.url}${path}`, { method });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers.get("content-type"), `${method} ${path}`).toContain("application/json");
        if (method === "GET") expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
      }
    }
  });

  it("keeps /metrics off without METRICS_TOKEN, whatever the bearer", async () => {
    const bearers: Record<string, string>[] = [
      {},
      { authorization: "Bearer x" },
      { authorization: `Bearer ${await signToken(t.server.jwtSecret!, gym.ownerId)}` },
    ];
    for (const headers of bearers) {
      const res = await fetch(`${t.server.url}/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });

  // Regression (item 11): app pages sent no CSP, frame-ancestors, Referrer-Policy or nosniff.
  it("sends a strict CSP, frame-ancestors 'none', Referrer-Policy and nosniff on the app pages and every other answer", async () => {
    const answers = await Promise.all(
      ["/", "/admin/", "/admin/desk", "/health", "/api/nope", "/ical/x.ics", "/missing.js"].map(async (path) => ({
        path,
        res: await fetch(`${t.server.url}${path}`),
      })),
    );
    answers.push({ path: "413", res: await fetch(`${t.server.url}/health`, { method: "POST", body: "x".repeat(200 * 1024) }) });
    for (const { path, res } of answers) {
      await res.arrayBuffer();
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      const isPage = (res.headers.get("content-type") ?? "").startsWith("text/html");
      if (!isPage) expect(csp, path).toMatch(/^default-src 'none'/);
    }
    if (!appsBuilt) return;
    for (const path of ["/", "/admin/", "/admin/desk"]) {
      const res = answers.find((a) => a.path === path)!.res;
      expect(res.headers.get("content-type"), path).toContain("text/html");
      const directives = new Map(
        (res.headers.get("content-security-policy") ?? "").split(";").map((d) => {
          const [name, ...v] = d.trim().split(/\s+/);
          return [name!, v.join(" ")];
        }),
      );
      expect(directives.get("script-src"), path).toBe("'self'");
      expect(directives.get("object-src"), path).toBe("'none'");
      expect(directives.get("base-uri"), path).toBe("'none'");
    }
  });

  it("regression: a token whose subject is not a UUID got HTTP 500 from the CSV export", async () => {
    for (const sub of ["auth0|alice", "x", "' or 1=1 --"]) {
      const res = await csv({ authorization: `Bearer ${await signToken(t.server.jwtSecret!, sub)}` });
      expect(res.status, sub).toBe(404);
    }
  });

  it("never answers 5xx to huge or numerous headers", async () => {
    const requests = [
      get("/health", [`X-Big: ${"a".repeat(100_000)}`]),
      get("/health", [`Cookie: ${"c=1; ".repeat(20_000)}`]),
      get(
        "/health",
        Array.from({ length: 2_000 }, (_, i) => `X-H${i}: v`),
      ),
      get(`/${"a".repeat(70_000)}`),
      get(`/api/gyms/${gym.gymId}/members.csv`, [`Authorization: Bearer ${"a".repeat(100_000)}`]),
    ];
    for (const request of requests) {
      const answer = await send(request, 1_000);
      if (answer.status !== null) expect(answer.status).toBeLessThan(500);
    }
    expect((await fetch(`${t.server.url}/ready`)).status).toBe(200);
  });
});

/** 429 as every limited route answers it: a stable code, the wait in words and in whole seconds. */
async function expectLimited(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(await res.json()).toMatchObject({
    error: { code: "RATE_LIMITED", message: expect.stringMatching(/try again in \d+ s/), retryAfterMs: expect.any(Number) },
  });
}

describe.each(["uws", "node"] as const)("HTTP rate limits on TRANSPORT=%s", (transport) => {
  let t: TestServer;
  let gym: GymFixture;
  const bearer = async (userId: string) => ({ authorization: `Bearer ${await signToken(t.server.jwtSecret!, userId)}` });

  beforeAll(async () => {
    // A stopped clock: no budget refills while a test runs, however slow the machine.
    const frozen = Date.now();
    t = await startTestServer(
      { TRANSPORT: transport, HTTP_REQUESTS_PER_SECOND_PER_IP: "2", HTTP_REQUESTS_PER_SECOND_PER_USER: "1" },
      { now: () => frozen },
    );
    gym = await aGym(t.server.db.orm, { members: 2 });
  }, 60_000);
  afterAll(() => t?.cleanup());

  it("regression: a member could download their export in a loop; the 5th in a burst gets 429 while another member still gets theirs", async () => {
    const [me, other] = gym.members;
    const headers = await bearer(me!.id);
    for (let i = 0; i < 4; i++) expect((await fetch(`${t.server.url}/api/me/export.json`, { headers })).status).toBe(200);
    await expectLimited(await fetch(`${t.server.url}/api/me/export.json`, { headers }));
    expect((await fetch(`${t.server.url}/api/me/export.json`, { headers: await bearer(other!.id) })).status).toBe(200);
  });

  it("limits every route per address, unknown ones and the health check included, before any route runs", async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 12; i++) answers.push(await fetch(`${t.server.url}${["/health", "/nope", "/ical/abc.ics", "/"][i % 4]}`));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const res of limited) await expectLimited(res);
  });
});

const redis = await requireRedis();

describe.skipIf(!redis.ok)("HTTP rate limits shared through Redis", () => {
  const nodes: TestServer[] = [];
  afterAll(() => Promise.all(nodes.map((n) => n.cleanup())));

  it("spends one per-user budget on every node: a burst spent on node A is refused on node B", async () => {
    const env = { REDIS_URL: redis.url!, JWT_SECRET: "r".repeat(40), HTTP_REQUESTS_PER_SECOND_PER_USER: "1" };
    const frozen = Date.now();
    nodes.push(
      await startTestServer({ ...env, NODE_ID: "http-a" }, { now: () => frozen }),
      await startTestServer({ ...env, NODE_ID: "http-b" }, { now: () => frozen }),
    );
    const [a, b] = nodes as [TestServer, TestServer];
    const headers = { authorization: `Bearer ${await signToken("r".repeat(40), randomUUID())}` };
    // A user with no account: 404, but only once the budget allowed the request.
    for (let i = 0; i < 4; i++) expect((await fetch(`${a.server.url}/api/me/export.json`, { headers })).status).toBe(404);
    await expectLimited(await fetch(`${b.server.url}/api/me/export.json`, { headers }));
  });
});
