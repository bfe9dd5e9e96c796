/**
 * The factor routes over HTTP on a real node (PostgreSQL): an owner's sign-in policy (audited, owners only), a
 * member's password sign-in ending in a session, the staff second factor (set up at sign-in when missing, then
 * required), and refusals that never echo a secret.
 */
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { requirePostgres, serverTargets, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";

const pg = await requirePostgres();
const target = serverTargets(pg).at(-1)!;

describe(`factor routes on ${target.name}`, () => {
  let t: TestServer;
  let db: TestDatabase | undefined;
  let gym: GymFixture;
  const PASSWORD = "rowing machine at dawn 7";

  beforeAll(async () => {
    const env = await target.env();
    db = env.db;
    t = await startTestServer(env.env);
    gym = await aGym(t.server.db.orm, { members: 2 });
  });
  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  const tokenOf = (userId: string) => signToken(t.server.jwtSecret!, userId, 600);
  const call = async (path: string, payload?: unknown, userId?: string, headers: Record<string, string> = { "x-spotter": "1" }) => {
    const res = await fetch(`${t.server.url}${path}`, {
      method: payload === undefined ? "GET" : "POST",
      headers: { ...headers, "content-type": "application/json", ...(userId ? { authorization: `Bearer ${await tokenOf(userId)}` } : {}) },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
    return { status: res.status, body: JSON.parse(text) as Record<string, any>, text, cookie: res.headers.get("set-cookie") ?? "" };
  };

  it("lets only an owner set the gym's sign-in policy, and audits it in the gym's chain", async () => {
    const policy = { passwordsAllowed: true, staffSecondFactor: true };
    expect((await call(`/api/gyms/${gym.gymId}/sign-in-policy`, policy, gym.coachId)).status).toBe(403);
    expect((await call(`/api/gyms/${gym.gymId}/sign-in-policy`, policy, gym.ownerId, {})).status).toBe(403); // no app header
    const set = await call(`/api/gyms/${gym.gymId}/sign-in-policy`, policy, gym.ownerId);
    expect(set).toMatchObject({ status: 200, body: { after: policy } });
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute(`select actor_id, summary from audit_log where gym_id = ? and action = 'gym:setSignInPolicy'`, [gym.gymId]);
    // `selfSignUp` was not sent: kept as it was (off).
    expect(rows).toEqual([
      {
        actor_id: gym.ownerId,
        summary: {
          before: { passwordsAllowed: false, staffSecondFactor: false, selfSignUp: false },
          after: { ...policy, selfSignUp: false },
        },
      },
    ]);
    expect((await call(`/api/auth/sign-in-options?gym=${gym.gymId}`)).body).toEqual({
      passwords: true,
      staffSecondFactor: true,
      selfSignUp: false,
      singleSignOn: null,
    });
  });

  it("signs a member in with their password: access token in the body, refresh token only in the cookie", async () => {
    const member = gym.members[0]!;
    expect((await call("/api/auth/password/set", { password: "password1234" }, member.id)).body.error.code).toBe("WEAK_PASSWORD");
    expect((await call("/api/auth/password/set", { password: PASSWORD }, member.id)).status).toBe(200);
    const wrong = await call("/api/auth/password", { gymId: gym.gymId, email: member.email, password: "rowing machine at dusk 7" });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: "INVALID_CREDENTIALS" } } });
    expect(wrong.text).not.toContain("dusk");
    const ok = await call("/api/auth/password", { gymId: gym.gymId, email: member.email, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      userId: member.id,
      sessionId: expect.any(String),
      accessToken: expect.any(String),
      accessExpiresAt: expect.any(Number),
    });
    expect(ok.cookie).toMatch(/^spotter_refresh=[\w-]+; Path=\/api\/auth; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/);
    expect((await call("/api/auth/factors", undefined, member.id)).body).toEqual({ passkeys: [], totp: false, password: true });
  });

  it("makes staff set up an authenticator at sign-in when the owner requires a second factor, then requires its code", async () => {
    const coach = gym.coachId;
    const email = (await t.server.db.orm.em.getConnection().execute(`select email from app_user where id = ?`, [coach]))[0].email as string;
    await call("/api/auth/password/set", { password: PASSWORD }, coach);
    const first = await call("/api/auth/password", { gymId: gym.gymId, email, password: PASSWORD });
    expect(first.body).toEqual({ secondFactor: { ticket: expect.any(String), methods: [], setupRequired: true } });
    expect(first.cookie).toBe(""); // no session yet
    const ticket = first.body.secondFactor.ticket as string;
    const setup = await call("/api/auth/second-factor/setup", { ticket });
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await call("/api/auth/second-factor/setup/confirm", { ticket, code: "000000" });
    expect(bad.body.error.code).toBe("INVALID_CREDENTIALS");
    const done = await call("/api/auth/second-factor/setup/confirm", { ticket, code: await generate({ secret: setup.body.secret }) });
    expect(done).toMatchObject({ status: 200, body: { userId: coach } });
    const [session] = await t.server.db.orm.em
      .getConnection()
      .execute(`select method, factors from auth_session where id = ?`, [done.body.sessionId]);
    expect(session).toMatchObject({ method: "password" });
    expect(JSON.stringify(session.factors)).toContain("totp");
    // the ticket is spent
    expect((await call("/api/auth/second-factor/totp", { ticket, code: "123456" })).body.error.code).toBe("CHALLENGE_EXPIRED");

    const again = await call("/api/auth/password", { gymId: gym.gymId, email, password: PASSWORD });
    expect(again.body.secondFactor).toMatchObject({ methods: ["totp"], setupRequired: false });
    expect((await call("/api/auth/second-factor/setup", { ticket: again.body.secondFactor.ticket })).body.error.code).toBe(
      "ALREADY_SET_UP",
    );
    const log = await t.server.db.orm.em.getConnection().execute(`select event from auth_event where user_id = ? order by at`, [coach]);
    expect(log.map((r: { event: string }) => r.event)).toEqual(expect.arrayContaining(["password:set", "totp:enabled", "sign_in"]));
  });

  it("applies the staff second factor to email sign-in too: the link yields a ticket, not a session", async () => {
    const email = (
      (await t.server.db.orm.em.getConnection().execute(`select email from app_user where id = ?`, [gym.deskId]))[0] as { email: string }
    ).email;
    const link = await t.server.signIn!.email.devLink(gym.deskId, email, "staff", 600_000);
    const verified = await call("/api/auth/email/verify", { link: new URL(link).hash.replace("#signin=", "") });
    expect(verified.body).toEqual({ secondFactor: { ticket: expect.any(String), methods: [], setupRequired: true } });
    expect(verified.cookie).not.toContain("spotter_refresh=");
    // a member of the same gym is not staff: their link signs them in at once
    const member = gym.members[1]!;
    const memberLink = await t.server.signIn!.email.devLink(member.id, member.email, "member", 600_000);
    expect((await call("/api/auth/email/verify", { link: new URL(memberLink).hash.replace("#signin=", "") })).body).toMatchObject({
      userId: member.id,
    });
  });

  it("answers VALIDATION_FAILED without echoing the body", async () => {
    const res = await call("/api/auth/password", { gymId: "not-a-gym", email: "a@b.c", password: "super secret words" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { gymId: expect.any(String) } });
    expect(res.text).not.toContain("super secret");
  });
});
