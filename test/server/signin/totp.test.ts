import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmTotpEnrollment, hasTotp, removeTotp, startTotpEnrollment, verifyTotp } from "../../../app/signin/totp.js";
import { factorFixture, localLimiter, type FactorFixture } from "../../support/factorFixture.js";
import { requirePostgres } from "../../support/services.js";

const pg = await requirePostgres();

/** The code an authenticator app shows at `ms`. */
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

describe("staff TOTP on PostgreSQL", () => {
  let f: FactorFixture;
  beforeAll(async () => {
    f = await factorFixture(pg);
  });
  afterAll(() => f?.close());

  it("enrolls with a first code, then accepts the authenticator's code once and refuses its replay", async () => {
    const coach = f.gym.coachId;
    const t0 = Date.UTC(2026, 11, 6, 6, 0, 0);
    const started = await startTotpEnrollment(f.totp, coach, f.origin(t0));
    if (!started.ok) throw new Error(started.message);
    expect(started.uri).toMatch(/^otpauth:\/\/totp\/Spotter:coach0-.*secret=/);
    expect(await hasTotp(f.totp, coach)).toBe(false);
    expect(await confirmTotpEnrollment(f.totp, coach, await codeAt(started.secret, t0), f.origin(t0))).toEqual({ ok: true });
    expect(await hasTotp(f.totp, coach)).toBe(true);

    const t1 = t0 + 60_000;
    const code = await codeAt(started.secret, t1);
    expect(await verifyTotp(f.totp, coach, code, f.origin(t1))).toEqual({ ok: true });
    const replay = await verifyTotp(f.totp, coach, code, f.origin(t1 + 5_000));
    expect(replay).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
    const actions = (await f.audit.ofUser(coach)).map((e) => e.action);
    expect(actions).toContain("totp:enabled");
    expect(actions).toContain("totp:failed");
    expect(JSON.stringify(await f.audit.ofUser(coach))).not.toContain(code);
  });

  it("lets exactly one of two racing requests with the same code through", async () => {
    const owner = f.gym.ownerId;
    const t0 = Date.UTC(2026, 11, 6, 7, 0, 0);
    const started = await startTotpEnrollment(f.totp, owner, f.origin(t0));
    if (!started.ok) throw new Error(started.message);
    await confirmTotpEnrollment(f.totp, owner, await codeAt(started.secret, t0), f.origin(t0));
    const t1 = t0 + 90_000;
    const code = await codeAt(started.secret, t1);
    const results = await Promise.all(Array.from({ length: 5 }, () => verifyTotp(f.totp, owner, code, f.origin(t1))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("accepts a phone one step behind, refuses a code two minutes old and a wrong code", async () => {
    const desk = f.gym.deskId;
    const t0 = Date.UTC(2026, 11, 6, 8, 0, 0);
    const started = await startTotpEnrollment(f.totp, desk, f.origin(t0));
    if (!started.ok) throw new Error(started.message);
    await confirmTotpEnrollment(f.totp, desk, await codeAt(started.secret, t0), f.origin(t0));
    const t1 = t0 + 10 * 60_000;
    expect(await verifyTotp(f.totp, desk, await codeAt(started.secret, t1 - 30_000), f.origin(t1))).toEqual({ ok: true });
    expect(await verifyTotp(f.totp, desk, await codeAt(started.secret, t1 - 120_000), f.origin(t1 + 30_000))).toMatchObject({ ok: false });
    expect(await verifyTotp(f.totp, desk, "12345x", f.origin(t1 + 30_000))).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
  });

  it("never replaces a confirmed authenticator by starting again; removing it is audited", async () => {
    const coach = f.gym.coachId;
    expect(await startTotpEnrollment(f.totp, coach, f.origin())).toMatchObject({ ok: false, code: "ALREADY_SET_UP" });
    expect(await removeTotp(f.totp, coach, f.origin())).toEqual({ ok: true });
    expect(await hasTotp(f.totp, coach)).toBe(false);
    expect((await f.audit.ofUser(coach)).map((e) => e.action)).toContain("totp:removed");
    expect(await verifyTotp(f.totp, coach, "123456", f.origin())).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("rate-limits guessing per user, and says when to try again", async () => {
    const member = f.gym.members[0]!.id;
    const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
    const started = await startTotpEnrollment(f.totp, member, f.origin(t0));
    if (!started.ok) throw new Error(started.message);
    const tight = { ...f.totp, limiter: localLimiter({ rate: 0.1, burst: 3 }) };
    for (let i = 0; i < 3; i++)
      expect(await confirmTotpEnrollment(tight, member, "000000", f.origin(t0))).toMatchObject({ code: "INVALID_CREDENTIALS" });
    const last = await confirmTotpEnrollment(tight, member, await codeAt(started.secret, t0), f.origin(t0));
    expect(last).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect((last as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  });
});
