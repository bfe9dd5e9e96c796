import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removePassword, setPassword, verifyPasswordSignIn } from "../../../app/signin/passwords.js";
import { factorFixture, localLimiter, type FactorFixture } from "../../support/factorFixture.js";
import { requirePostgres } from "../../support/services.js";

const pg = await requirePostgres();
const PASSWORD = "kettlebell sunrise over the rower";

describe("passwords on PostgreSQL", () => {
  let f: FactorFixture;
  let email: string;
  let userId: string;
  beforeAll(async () => {
    f = await factorFixture(pg);
    userId = f.gym.members[0]!.id;
    email = f.gym.members[0]!.email;
  });
  afterAll(() => f?.close());

  it("stores an argon2id hash, never the password, and audits the change without it", async () => {
    expect(await setPassword(f.passwords, userId, PASSWORD, f.origin())).toEqual({ ok: true });
    const [row] = await f.db.orm.em.getConnection().execute(`select hash from password_credential where user_id = ?`, [userId]);
    expect(row.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.hash).not.toContain(PASSWORD);
    const log = await f.audit.ofUser(userId);
    expect(log[0]!.action).toBe("password:set");
    expect(JSON.stringify(log)).not.toContain("sunrise");
  });

  it("refuses a weak password with the reason in words", async () => {
    expect(await setPassword(f.passwords, userId, "password1234", f.origin())).toMatchObject({
      ok: false,
      code: "WEAK_PASSWORD",
      message: expect.stringMatching(/breached/),
    });
  });

  it("is off until the gym turns passwords on", async () => {
    expect(await verifyPasswordSignIn(f.passwords, f.gym.gymId, email, PASSWORD, f.origin())).toMatchObject({
      ok: false,
      code: "METHOD_DISABLED",
    });
    await f.policies.set(f.gym.gymId, { passwordsAllowed: true, staffSecondFactor: false }, Date.now());
    expect(await verifyPasswordSignIn(f.passwords, f.gym.gymId, email.toUpperCase(), PASSWORD, f.origin())).toEqual({ ok: true, userId });
  });

  it("answers an unknown email, a user without a password and a wrong password alike, and audits each", async () => {
    const wrong = await verifyPasswordSignIn(f.passwords, f.gym.gymId, email, "kettlebell sunrise over the skier", f.origin());
    const unknown = await verifyPasswordSignIn(f.passwords, f.gym.gymId, "nobody@nowhere.test", PASSWORD, f.origin());
    const noPassword = await verifyPasswordSignIn(f.passwords, f.gym.gymId, f.gym.members[1]!.email, PASSWORD, f.origin());
    expect(wrong).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
    expect(unknown).toEqual(wrong);
    expect(noPassword).toEqual(wrong);
    const [count] = await f.db.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from auth_event where event = 'password:failed' and detail->>'gymId' = ?`, [f.gym.gymId]);
    expect(count.n).toBe(3);
  });

  it("rate-limits attempts per email, also from many addresses", async () => {
    const tight = { ...f.passwords, limiter: localLimiter({ rate: 0.01, burst: 3 }) };
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        await verifyPasswordSignIn(tight, f.gym.gymId, email, "not the password at all", f.origin(Date.now(), `198.51.100.${i}`)),
      );
    expect(answers.map((a) => (a.ok ? "ok" : a.code))).toEqual([
      "INVALID_CREDENTIALS",
      "INVALID_CREDENTIALS",
      "INVALID_CREDENTIALS",
      "RATE_LIMITED",
      "RATE_LIMITED",
    ]);
    // the right password is refused too while the email's budget is spent
    expect(await verifyPasswordSignIn(tight, f.gym.gymId, email, PASSWORD, f.origin())).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("rate-limits attempts per IP across emails", async () => {
    const tight = { ...f.passwords, limiter: localLimiter({ rate: 0.01, burst: 2 }) };
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push(
        (await verifyPasswordSignIn(tight, f.gym.gymId, `guess${i}@nowhere.test`, PASSWORD, f.origin(Date.now(), "192.0.2.9"))) as {
          code: string;
        },
      );
    expect(codes.map((c) => c.code)).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "RATE_LIMITED"]);
  });

  it("refuses a member of another gym even with the right password", async () => {
    const { aGym } = await import("../../support/gymFixture.js");
    const other = await aGym(f.db.orm, { members: 1 });
    await f.policies.set(other.gymId, { passwordsAllowed: true, staffSecondFactor: false }, Date.now());
    expect(await verifyPasswordSignIn(f.passwords, other.gymId, email, PASSWORD, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
  });

  it("removes the password (audited); it no longer signs in", async () => {
    expect(await removePassword(f.passwords, userId, f.origin())).toEqual({ ok: true });
    expect(await verifyPasswordSignIn(f.passwords, f.gym.gymId, email, PASSWORD, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
    expect((await f.audit.ofUser(userId)).map((e) => e.action)).toContain("password:removed");
  });

  it("erases every factor of an account whose deletion is approved", async () => {
    const { requestDeletion, approveDeletion } = await import("../../../server/persistence/privacyStore.js");
    const { startTotpEnrollment } = await import("../../../app/signin/totp.js");
    const member = f.gym.members[2]!.id;
    expect(await setPassword(f.passwords, member, PASSWORD, f.origin())).toEqual({ ok: true });
    await startTotpEnrollment(f.totp, member, f.origin());
    await requestDeletion(f.db.orm, member, Date.now());
    expect(await approveDeletion(f.db.orm, f.gym.gymId, member, f.gym.ownerId, Date.now())).toMatchObject({ ok: true });
    const sql = f.db.orm.em.getConnection();
    expect(
      await sql.execute(
        `select user_id from password_credential where user_id = ? union all select user_id from totp_factor where user_id = ?`,
        [member, member],
      ),
    ).toEqual([]);
  });
});
