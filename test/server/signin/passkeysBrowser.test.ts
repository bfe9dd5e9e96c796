/**
 * Passkey ceremonies in real Chromium with a virtual authenticator: `@simplewebauthn/browser` in the page,
 * the passkey use cases on PostgreSQL on the server side.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  finishPasskeyRegistration,
  finishPasskeySignIn,
  listPasskeys,
  removePasskey,
  startPasskeyRegistration,
  startPasskeySignIn,
  type PasskeyDeps,
} from "../../../app/signin/passkeys.js";
import { launchBrowser, openPage } from "../../support/browser.js";
import { factorFixture, type FactorFixture } from "../../support/factorFixture.js";
import { requirePostgres } from "../../support/services.js";
import { addVirtualAuthenticator, type VirtualAuthenticator } from "../../support/virtualAuthenticator.js";

const pg = await requirePostgres();
const BUNDLE = readFileSync(new URL("../../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js", import.meta.url), "utf8");

describe("passkeys in Chromium with a virtual authenticator, on PostgreSQL", () => {
  let f: FactorFixture;
  let site: Server;
  let origin: string;
  let deps: PasskeyDeps;
  let browser: Browser;
  let page: Page;
  let authenticator: VirtualAuthenticator;

  beforeAll(async () => {
    f = await factorFixture(pg);
    site = createServer((req, res) => {
      if (req.url === "/webauthn.js") res.writeHead(200, { "content-type": "text/javascript" }).end(BUNDLE);
      else
        res
          .writeHead(200, { "content-type": "text/html" })
          .end('<!doctype html><title>passkeys</title><script src="/webauthn.js"></script>');
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    origin = `http://localhost:${(site.address() as AddressInfo).port}`;
    deps = f.passkeys({ rpId: "localhost", rpName: "Spotter test", origins: [origin] });
    browser = await launchBrowser();
    page = await openPage(browser, `${origin}/`);
    authenticator = await addVirtualAuthenticator(page);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await f?.close();
  });

  const register = (optionsJSON: unknown) =>
    page.evaluate(
      async (o) =>
        (
          window as unknown as { SimpleWebAuthnBrowser: { startRegistration(a: unknown): Promise<unknown> } }
        ).SimpleWebAuthnBrowser.startRegistration({ optionsJSON: o }),
      optionsJSON,
    ) as Promise<RegistrationResponseJSON>;
  const authenticate = (optionsJSON: unknown) =>
    page.evaluate(
      async (o) =>
        (
          window as unknown as { SimpleWebAuthnBrowser: { startAuthentication(a: unknown): Promise<unknown> } }
        ).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: o }),
      optionsJSON,
    ) as Promise<AuthenticationResponseJSON>;

  async function registerFor(userId: string, name: string) {
    const started = await startPasskeyRegistration(deps, userId, f.origin());
    if (!started.ok) throw new Error(started.message);
    return finishPasskeyRegistration(
      deps,
      userId,
      { challengeId: started.challengeId, response: await register(started.options), name },
      f.origin(),
    );
  }

  async function signIn(userId?: string) {
    const started = await startPasskeySignIn(deps, f.origin(), userId);
    if (!started.ok) throw new Error(started.message);
    const response = await authenticate(started.options);
    return {
      response,
      challengeId: started.challengeId,
      result: await finishPasskeySignIn(deps, { challengeId: started.challengeId, response }, f.origin()),
    };
  }

  it("registers a discoverable passkey (audited) that the profile lists", async () => {
    const member = f.gym.members[0]!.id;
    const done = await registerFor(member, "Test phone");
    expect(done).toMatchObject({ ok: true, passkey: { name: "Test phone" } });
    const held = await authenticator.credentials();
    expect(held).toHaveLength(1);
    expect(held[0]!.isResidentCredential).toBe(true);
    expect(await listPasskeys(deps, member)).toEqual([expect.objectContaining({ name: "Test phone", lastUsedAt: null })]);
    expect((await f.audit.ofUser(member)).map((e) => e.action)).toContain("passkey:added");
  });

  it("signs in with the passkey without an email, and the counter moves", async () => {
    const member = f.gym.members[0]!.id;
    const { result } = await signIn();
    expect(result).toMatchObject({ ok: true, userId: member });
    const [row] = await f.db.orm.em
      .getConnection()
      .execute(`select counter, last_used_at from passkey_credential where user_id = ?`, [member]);
    expect(Number(row.counter)).toBeGreaterThan(0);
    expect(row.last_used_at).not.toBeNull();
  });

  it("refuses the same signed answer twice, and an answer to another challenge", async () => {
    const { response, challengeId } = await signIn();
    expect(await finishPasskeySignIn(deps, { challengeId, response }, f.origin())).toMatchObject({ ok: false, code: "CHALLENGE_EXPIRED" });
    const fresh = await startPasskeySignIn(deps, f.origin());
    if (!fresh.ok) throw new Error(fresh.message);
    expect(await finishPasskeySignIn(deps, { challengeId: fresh.challengeId, response }, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
  });

  it("refuses an answer made for another site (origin check), and audits it", async () => {
    const elsewhere = { ...deps, rp: { ...deps.rp, origins: ["https://spotter.example"] } };
    const started = await startPasskeySignIn(elsewhere, f.origin());
    if (!started.ok) throw new Error(started.message);
    const response = await authenticate(started.options);
    expect(await finishPasskeySignIn(elsewhere, { challengeId: started.challengeId, response }, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
    const log = await f.audit.ofUser(f.gym.members[0]!.id);
    expect(log[0]).toMatchObject({ action: "passkey:failed", summary: { reason: "bad_signature" } });
  });

  it("refuses a cloned authenticator whose counter falls behind the stored one", async () => {
    await f.db.orm.em.getConnection().execute(`update passkey_credential set counter = 1000000 where user_id = ?`, [f.gym.members[0]!.id]);
    expect((await signIn()).result).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
    await f.db.orm.em.getConnection().execute(`update passkey_credential set counter = 1 where user_id = ?`, [f.gym.members[0]!.id]);
    expect((await signIn()).result).toMatchObject({ ok: true }); // the counter alone made the difference
  });

  it("as a staff second factor, accepts only the staff member's own passkey", async () => {
    const coach = f.gym.coachId;
    expect(await startPasskeySignIn(deps, f.origin(), coach)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await registerFor(coach, "Coach laptop")).toMatchObject({ ok: true });
    expect((await signIn(coach)).result).toMatchObject({ ok: true, userId: coach });
    // the member's passkey answering a challenge meant for the coach does not count
    const started = await startPasskeySignIn(deps, f.origin(), coach);
    if (!started.ok) throw new Error(started.message);
    const memberOnly = await startPasskeySignIn(deps, f.origin(), f.gym.members[0]!.id);
    if (!memberOnly.ok) throw new Error(memberOnly.message);
    const memberAnswer = await authenticate({ ...memberOnly.options, challenge: started.options.challenge });
    expect(await finishPasskeySignIn(deps, { challengeId: started.challengeId, response: memberAnswer }, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
  });

  it("removes a passkey (audited); it no longer signs in", async () => {
    const member = f.gym.members[0]!.id;
    const [passkey] = await listPasskeys(deps, member);
    expect(await removePasskey(deps, f.gym.coachId, passkey!.id, f.origin())).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await removePasskey(deps, member, passkey!.id, f.origin())).toEqual({ ok: true });
    const started = await startPasskeySignIn(deps, f.origin());
    if (!started.ok) throw new Error(started.message);
    const response = await authenticate({ ...started.options, allowCredentials: [{ id: passkey!.id, type: "public-key" }] });
    expect(await finishPasskeySignIn(deps, { challengeId: started.challengeId, response }, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
    expect((await f.audit.ofUser(member)).map((e) => e.action)).toContain("passkey:removed");
  });
});
