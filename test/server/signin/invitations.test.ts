/**
 * Invitations: an owner invites by email (mail read from a real SMTP server); the link shows the gym and role,
 * accepting creates the account and membership and signs in, once; a revoked or spent link is refused in words;
 * an admin cannot invite an owner; sessions are listed and ended per device.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { startSmtp, type TestSmtp } from "../../support/smtp.js";
import { suiteSockets } from "../../support/sockets.js";

describe("invitations and where I'm signed in", () => {
  let t: TestServer;
  let smtp: TestSmtp;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestServer({ SMTP_URL: smtp.url });
    gym = await aGym(t.server.db.orm, { members: 1, name: "Invite Gym" });
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await smtp?.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${t.server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-spotter": "1" },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
    return { status: res.status, json: (await res.json()) as Record<string, any>, cookie: res.headers.get("set-cookie") ?? "" };
  };
  const secretOf = (body: string) => /#invite=([A-Za-z0-9_-]+)/.exec(body)?.[1] ?? "";

  it("invites by email; the link creates the account and membership and signs in, once", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const invited = await owner.command(`gym:${gym.gymId}`, "gym:invite", { email: "New.Coach@Example.com", role: "coach" });
    expect(invited).toMatchObject({ ok: true, result: { invitationId: expect.any(String) } });
    const mail = await smtp.next("new.coach@example.com");
    expect(mail.subject).toBe("You're invited to Invite Gym");
    expect(mail.body).toContain("/admin/#invite=");
    const token = secretOf(mail.body);
    expect(await post("/api/auth/invitation", { token })).toMatchObject({
      status: 200,
      json: { gymName: "Invite Gym", role: "coach", email: "new.coach@example.com" },
    });
    const accepted = await post("/api/auth/invitation/accept", { token, name: "Nia Coach" });
    expect(accepted.status).toBe(200);
    expect(accepted.cookie).toContain("spotter_refresh=");
    const conn = t.server.db.orm.em.fork().getConnection();
    const [m] = await conn.execute(
      `select m.role, m.status, u.name from gym_membership m join app_user u on u.id = m.user_id where u.id = ?`,
      [accepted.json.userId],
    );
    expect(m).toEqual({ role: "coach", status: "active", name: "Nia Coach" });
    expect(await post("/api/auth/invitation/accept", { token, name: "Again" })).toMatchObject({
      status: 400,
      json: { error: { code: "INVITATION_INVALID", message: expect.stringContaining("already used") } },
    });
    const list = await owner.command(`gym:${gym.gymId}`, "gym:invitations", {});
    expect(list).toMatchObject({
      ok: true,
      result: { invitations: [expect.objectContaining({ email: "new.coach@example.com", state: "accepted" })] },
    });
    const audit = await conn.execute(
      `select action from audit_log where gym_id = ? and action in ('gym:invite', 'invitation:accept') order by seq`,
      [gym.gymId],
    );
    expect(audit.map((r: { action: string }) => r.action)).toEqual(["gym:invite", "invitation:accept"]);
  });

  it("refuses a revoked invitation in words, and an admin inviting an owner", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const invited = (await owner.command(`gym:${gym.gymId}`, "gym:invite", { email: "gone@example.com", role: "member" })) as {
      ok: true;
      result: { invitationId: string };
    };
    const token = secretOf((await smtp.next("gone@example.com")).body);
    expect(await owner.command(`gym:${gym.gymId}`, "gym:revokeInvitation", { invitationId: invited.result.invitationId })).toMatchObject({
      ok: true,
      result: { revoked: true },
    });
    expect(await post("/api/auth/invitation/accept", { token, name: "Gone" })).toMatchObject({
      status: 400,
      json: { error: { message: "Invite Gym withdrew this invitation — ask them if that's a mistake." } },
    });
    const coach = await sockets.connect(gym.coachId);
    expect(await coach.command(`gym:${gym.gymId}`, "gym:invite", { email: "x@example.com", role: "member" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("lists my sessions by device and ends one, and staff end a staff member's sessions", async () => {
    const request = (ua: string) => ({ ip: "127.0.0.1", userAgent: ua });
    const phone = await t.server.sessions!.completeSignIn({
      userId: gym.deskId,
      method: "email_code",
      request: request("Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"),
    });
    await t.server.sessions!.completeSignIn({
      userId: gym.deskId,
      method: "email_link",
      request: request("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15"),
    });
    const desk = await sockets.connect(gym.deskId);
    const listed = (await desk.command(`user:${gym.deskId}`, "user:sessions", {})) as {
      ok: true;
      result: { sessions: { sessionId: string; device: string }[] };
    };
    expect(listed.result.sessions.map((s) => s.device).sort()).toEqual(["Chrome on Android", "Safari on Mac"]);
    expect(await desk.command(`user:${gym.deskId}`, "user:endSession", { sessionId: phone.sessionId })).toMatchObject({
      ok: true,
      result: { ended: true },
    });
    const owner = await sockets.connect(gym.ownerId);
    expect(await owner.command(`gym:${gym.gymId}`, "gym:endStaffSessions", { memberId: gym.deskId })).toMatchObject({
      ok: true,
      result: { ended: 1 },
    });
    expect(await owner.command(`gym:${gym.gymId}`, "gym:endStaffSessions", { memberId: gym.members[0]!.id })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });
});
