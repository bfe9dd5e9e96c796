/**
 * TOTP seeds and OIDC client secrets are sealed at rest (AES-256-GCM): the box itself, the stores writing only sealed
 * values, the start-up step sealing rows stored plain before, and the embedded node's key kept in DATA_DIR across
 * restarts.
 */
import { randomBytes } from "node:crypto";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmTotpEnrollment, startTotpEnrollment, verifyTotp } from "../../../app/signin/totp.js";
import { sealStoredSecrets } from "../../../server/persistence/sealStoredSecrets.js";
import { SecretBox } from "../../../server/persistence/secretBox.js";
import { factorFixture, type FactorFixture } from "../../support/factorFixture.js";
import { aGym } from "../../support/gymFixture.js";
import { makeTempDir, requirePostgres, startTestServer } from "../../support/services.js";

const pg = await requirePostgres();

describe("SecretBox", () => {
  const box = new SecretBox(randomBytes(32));

  it("opens what it sealed for the same row, and nothing else", () => {
    const sealed = box.seal("JBSWY3DPEHPK3PXP", "totp_factor:a");
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.seal("JBSWY3DPEHPK3PXP", "totp_factor:a")).not.toBe(sealed); // a fresh IV every time
    expect(box.open(sealed, "totp_factor:a")).toBe("JBSWY3DPEHPK3PXP");
    expect(() => box.open(sealed, "totp_factor:b")).toThrow(); // copied into another row
    const [v, k, iv, body] = sealed.split(".");
    const flipped = `${body![0] === "A" ? "B" : "A"}${body!.slice(1)}`;
    expect(() => box.open([v, k, iv, flipped].join("."), "totp_factor:a")).toThrow(); // altered
    expect(() => new SecretBox(randomBytes(32)).open(sealed, "totp_factor:a")).toThrow(/another secrets key/);
  });
});

describe("secrets at rest on PostgreSQL", () => {
  let f: FactorFixture;
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) =>
    f.db.orm.em.fork().getConnection().execute<T[]>(q, params);
  beforeAll(async () => {
    f = await factorFixture(pg);
  });
  afterAll(() => f?.close());

  it("stores a TOTP seed sealed, and the authenticator's codes still check", async () => {
    const coach = f.gym.coachId;
    const t0 = Date.UTC(2026, 11, 6, 7, 0, 0);
    const started = await startTotpEnrollment(f.totp, coach, f.origin(t0));
    if (!started.ok) throw new Error(started.message);
    const [row] = await sql<{ secret: string }>(`select secret from totp_factor where user_id = ?`, [coach]);
    expect(SecretBox.isSealed(row!.secret)).toBe(true);
    expect(row!.secret).not.toContain(started.secret);
    expect(await confirmTotpEnrollment(f.totp, coach, await generate({ secret: started.secret, epoch: t0 / 1000 }), f.origin(t0))).toEqual({
      ok: true,
    });
    expect(
      await verifyTotp(f.totp, coach, await generate({ secret: started.secret, epoch: t0 / 1000 + 60 }), f.origin(t0 + 60_000)),
    ).toEqual({ ok: true });
  });

  it("stores a client secret sealed and reads it back", async () => {
    await f.providers.set({
      gymId: f.gym.gymId,
      issuer: "https://login.example",
      clientId: "spotter",
      clientSecret: "client-secret-0123456789",
      displayName: "Example",
    });
    const [row] = await sql<{ client_secret: string }>(`select client_secret from gym_identity_provider where gym_id = ?`, [f.gym.gymId]);
    expect(SecretBox.isSealed(row!.client_secret)).toBe(true);
    expect(row!.client_secret).not.toContain("client-secret-0123456789");
    expect((await f.providers.get(f.gym.gymId))?.clientSecret).toBe("client-secret-0123456789");
  });

  it("seals rows stored plain before, once (the second run finds nothing)", async () => {
    const other = await aGym(f.db.orm, { members: 1 });
    await sql(
      `insert into totp_factor (user_id, secret, confirmed_at, last_time_step, created_at) values (?, 'PLAINSEEDPLAINSEED22', now(), null, now())`,
      [other.deskId],
    );
    await sql(
      `insert into gym_identity_provider (gym_id, issuer, client_id, client_secret, display_name) values (?, 'https://idp.example', 'c', 'plain-client-secret', 'Old')`,
      [other.gymId],
    );
    expect(await sealStoredSecrets(f.db.orm, f.box)).toEqual({ totp: 1, clientSecrets: 1 });
    const [seed] = await sql<{ secret: string }>(`select secret from totp_factor where user_id = ?`, [other.deskId]);
    expect(SecretBox.isSealed(seed!.secret)).toBe(true);
    expect((await f.totp.totp.get(other.deskId))?.secret).toBe("PLAINSEEDPLAINSEED22");
    expect((await f.providers.get(other.gymId))?.clientSecret).toBe("plain-client-secret");
    expect(await sealStoredSecrets(f.db.orm, f.box)).toEqual({ totp: 0, clientSecrets: 0 });
  });
});

describe("the embedded node's secrets key", () => {
  it("is generated once in DATA_DIR (owner-only) and seals plain rows at start-up; a restart opens them with the same key", async () => {
    const dir = makeTempDir();
    const first = await startTestServer({ DATA_DIR: dir });
    const gym = await aGym(first.server.db.orm, { members: 1 });
    const sql = (s: typeof first, q: string, params: unknown[] = []) =>
      s.server.db.orm.em.fork().getConnection().execute<Record<string, unknown>[]>(q, params);
    await sql(
      first,
      `insert into gym_identity_provider (gym_id, issuer, client_id, client_secret, display_name) values (?, 'https://idp.example', 'c', 'plain-before-upgrade', 'Old')`,
      [gym.gymId],
    );
    await first.cleanup();
    const key = join(dir, "secrets-key");
    expect(statSync(key).mode & 0o777).toBe(0o600);

    const second = await startTestServer({ DATA_DIR: dir });
    try {
      const [row] = await sql(second, `select client_secret from gym_identity_provider where gym_id = ?`, [gym.gymId]);
      expect(SecretBox.isSealed(String(row!.client_secret))).toBe(true);
      await second.cleanup();
      const third = await startTestServer({ DATA_DIR: dir });
      try {
        // The OIDC start reads the provider (and its secret) without error: the key survived the restart.
        const res = await fetch(`${third.server.url}/api/auth/sign-in-options?gym=${gym.gymId}`);
        expect(await res.json()).toMatchObject({ singleSignOn: { name: "Old" } });
        const [again] = await sql(third, `select client_secret from gym_identity_provider where gym_id = ?`, [gym.gymId]);
        expect(again!.client_secret).toBe(row!.client_secret);
      } finally {
        await third.cleanup();
      }
    } finally {
      await second.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
