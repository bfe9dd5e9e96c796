/**
 * Sessions over HTTP and the socket: a completed sign-in gives an access token and an HttpOnly refresh cookie;
 * each refresh rotates the cookie; a replayed cookie ends the whole family (and closes its sockets); `auth:renew`
 * swaps the token in place without dropping the socket's rooms; signing out ends the session and its sockets.
 */
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { eventually } from "../../support/sockets.js";

const request = { ip: "127.0.0.1", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1" };

describe("sign-in sessions", () => {
  let t: TestServer;
  let gym: GymFixture;
  const open: Socket[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 2 });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.cleanup();
  });

  const post = (path: string, cookie?: string, headers: Record<string, string> = { "x-spotter": "1" }) =>
    fetch(`${t.server.url}${path}`, { method: "POST", headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  const cookieOf = (res: Response) => /spotter_refresh=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const connect = async (token: string) => {
    const socket = io(t.server.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    open.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  };

  it("hands out a ≤ 15 min access token and a refresh token that only the cookie flags can carry", async () => {
    const signedIn = await t.server.sessions!.completeSignIn({ userId: gym.members[0]!.id, method: "email_code", request });
    expect(signedIn.accessExpiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1000);
    const res = await post("/api/auth/refresh", `spotter_refresh=${signedIn.refreshToken}`);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^spotter_refresh=[A-Za-z0-9_-]{43}; Path=\/api\/auth; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      userId: gym.members[0]!.id,
      sessionId: signedIn.sessionId,
      accessToken: expect.any(String),
      accessExpiresAt: expect.any(Number),
    });
    expect(JSON.stringify(body)).not.toContain(cookieOf(res));
  });

  it("refuses a refresh without the app's header or from another origin", async () => {
    const signedIn = await t.server.sessions!.completeSignIn({ userId: gym.members[0]!.id, method: "email_code", request });
    expect((await post("/api/auth/refresh", `spotter_refresh=${signedIn.refreshToken}`, {})).status).toBe(403);
    const foreign = await post("/api/auth/refresh", `spotter_refresh=${signedIn.refreshToken}`, {
      "x-spotter": "1",
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    // Neither refusal spent the token.
    expect((await post("/api/auth/refresh", `spotter_refresh=${signedIn.refreshToken}`)).status).toBe(200);
  });

  it("rotates the refresh token and ends the whole family when a spent one comes back, closing its sockets", async () => {
    const signedIn = await t.server.sessions!.completeSignIn({ userId: gym.members[1]!.id, method: "email_link", request });
    const first = signedIn.refreshToken;
    const r1 = await post("/api/auth/refresh", `spotter_refresh=${first}`);
    expect(r1.status).toBe(200);
    const second = cookieOf(r1);
    expect(second).not.toBe(first);
    const { accessToken } = (await r1.json()) as { accessToken: string };
    const socket = await connect(accessToken);
    const expired = new Promise<string>((resolve) => socket.once("auth:expired", (e: { message: string }) => resolve(e.message)));

    // The spent token again: a replay. The family ends — the current token is refused too, and the socket closes.
    const replay = await post("/api/auth/refresh", `spotter_refresh=${first}`);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({
      error: { code: "UNAUTHENTICATED", reason: "reused", message: expect.stringContaining("ended it") },
    });
    expect(replay.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await expired).toContain("signed out");
    await eventually(() => expect(socket.connected).toBe(false));
    const after = await post("/api/auth/refresh", `spotter_refresh=${second}`);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { reason: "ended" } });
    const rows = await t.server.db.orm.em
      .fork()
      .getConnection()
      .execute(`select event from auth_event where session_id = ? order by at`, [signedIn.sessionId]);
    expect(rows.map((r: { event: string }) => r.event)).toEqual(["sign_in", "refresh_reused"]);
  });

  it("renews a socket's token in place: the room stays watched and the next delta arrives", async () => {
    const signedIn = await t.server.sessions!.completeSignIn({ userId: gym.ownerId, method: "email_code", request });
    const socket = await connect(signedIn.accessToken);
    const session = await gym.addSession();
    const room = `class:${session.id}`;
    expect(await socket.timeout(10_000).emitWithAck("room:join", { room })).toMatchObject({ ok: true });
    const r = await post("/api/auth/refresh", `spotter_refresh=${signedIn.refreshToken}`);
    const { accessToken } = (await r.json()) as { accessToken: string };
    expect(await socket.timeout(10_000).emitWithAck("auth:renew", { token: accessToken })).toMatchObject({
      ok: true,
      result: { expiresAt: expect.any(Number) },
    });
    const delta = new Promise((resolve) => socket.once("room:delta", resolve));
    const changed = await socket.timeout(10_000).emitWithAck("command", {
      commandId: `cap-${Date.now()}`,
      room,
      type: "class:setCapacity",
      payload: { sessionId: session.id, capacity: 21 },
    });
    expect(changed).toMatchObject({ ok: true });
    expect(await delta).toMatchObject({ room });
    expect(socket.connected).toBe(true);
  });

  it("refuses to renew with another user's token or a bad one, in words", async () => {
    const mine = await t.server.sessions!.completeSignIn({ userId: gym.members[0]!.id, method: "email_code", request });
    const theirs = await t.server.sessions!.completeSignIn({ userId: gym.members[1]!.id, method: "email_code", request });
    const socket = await connect(mine.accessToken);
    expect(await socket.timeout(10_000).emitWithAck("auth:renew", { token: theirs.accessToken })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await socket.timeout(10_000).emitWithAck("auth:renew", { token: "nope" })).toMatchObject({
      ok: false,
      error: { code: "UNAUTHENTICATED" },
    });
    expect(await socket.timeout(10_000).emitWithAck("auth:renew", { tok: 1 })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(socket.connected).toBe(true);
  });

  it("signs this device out: the cookie is cleared, the session's sockets close, its access token is refused", async () => {
    const signedIn = await t.server.sessions!.completeSignIn({ userId: gym.coachId, method: "email_code", request });
    const socket = await connect(signedIn.accessToken);
    const out = await post("/api/auth/sign-out", `spotter_refresh=${signedIn.refreshToken}`);
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    await eventually(() => expect(socket.connected).toBe(false));
    await expect(connect(signedIn.accessToken)).rejects.toThrow(/signed out/);
  });
});
