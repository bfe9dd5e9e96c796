/**
 * A signed-in person's own factors (passkeys, authenticator app, password) and an owner's sign-in settings for the
 * gym. Bearer access token; per-user HTTP budget; every change audited (factors in the sign-in log, gym settings in
 * the gym's audit chain). `GET /api/auth/sign-in-options?gym=<id>` is public: what the sign-in screen offers (without
 * `gym`, for the install's only gym). `GET /api/auth/sign-in-settings?gym=<id>` is the owner's view of the same.
 */
import { z } from "zod";
import { finishPasskeyRegistration, listPasskeys, removePasskey, startPasskeyRegistration } from "../../app/signin/passkeys.js";
import type { GymSignInSettings } from "../../app/signin/factorPorts.js";
import { removePassword, setPassword } from "../../app/signin/passwords.js";
import { confirmTotpEnrollment, hasTotp, removeTotp, startTotpEnrollment, verifyTotp } from "../../app/signin/totp.js";
import type { TokenVerifier } from "../auth.js";
import type { Factors } from "../signin/factorRuntime.js";
import { bearer, body, originOf, refusal } from "./factorHttp.js";
import type { HttpLimits } from "./httpLimits.js";
import { crossSite } from "./sessionCookies.js";
import { json, type HttpRequest, type HttpResponse, type Router } from "./router.js";

export interface FactorAccountDeps {
  factors: Factors;
  /** The owner's sign-in settings of a gym. */
  settings: GymSignInSettings;
  verifier: TokenVerifier;
  limits: HttpLimits;
  now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WebAuthnAnswer = z.looseObject({
  id: z.string().min(1).max(1_400),
  rawId: z.string().max(1_400),
  type: z.literal("public-key"),
  response: z.looseObject({}),
});

export function addFactorAccountRoutes(router: Router, d: FactorAccountDeps): void {
  const f = d.factors;
  /** A route for the signed-in user; POSTs also need the app's header. */
  const signedIn = (method: "GET" | "POST", path: string, handler: (req: HttpRequest, userId: string) => Promise<HttpResponse>) =>
    router.add(method, path, async (req) => {
      const refused = method === "POST" ? crossSite(req) : null;
      if (refused) return refused;
      const who = await bearer(req, d.verifier, d.limits);
      return who.ok ? handler(req, who.userId) : who.response;
    });
  const ok = (r: { ok: true } | Parameters<typeof refusal>[0], value: unknown = {}) => (r.ok ? json(200, value) : refusal(r));

  signedIn("GET", "/api/auth/factors", async (_req, userId) => {
    const [passkeys, totp, password] = await Promise.all([
      listPasskeys(f.passkeys, userId),
      hasTotp(f.totp, userId),
      f.passwords.passwords.hashOf(userId),
    ]);
    return json(200, { passkeys, totp, password: password !== null });
  });

  signedIn("POST", "/api/auth/passkeys/options", async (req, userId) => {
    const started = await startPasskeyRegistration(f.passkeys, userId, originOf(req, d.now()));
    return started.ok ? json(200, { challengeId: started.challengeId, options: started.options }) : refusal(started);
  });
  signedIn("POST", "/api/auth/passkeys", async (req, userId) => {
    const b = body(
      req,
      z.object({ challengeId: z.string().min(1).max(64), response: WebAuthnAnswer, name: z.string().max(100).optional() }),
    );
    if (!b.ok) return b.response;
    const done = await finishPasskeyRegistration(
      f.passkeys,
      userId,
      { challengeId: b.value.challengeId, response: b.value.response as never, name: b.value.name },
      originOf(req, d.now()),
    );
    return done.ok ? json(200, { passkey: done.passkey }) : refusal(done);
  });
  signedIn("POST", "/api/auth/passkeys/remove", async (req, userId) => {
    const b = body(req, z.object({ id: z.string().min(1).max(1_400) }));
    if (!b.ok) return b.response;
    return ok(await removePasskey(f.passkeys, userId, b.value.id, originOf(req, d.now())));
  });

  signedIn("POST", "/api/auth/totp/setup", async (req, userId) => {
    const started = await startTotpEnrollment(f.totp, userId, originOf(req, d.now()));
    return started.ok ? json(200, { secret: started.secret, uri: started.uri }) : refusal(started);
  });
  signedIn("POST", "/api/auth/totp/confirm", async (req, userId) => {
    const b = body(req, z.object({ code: z.string().min(1).max(16) }));
    if (!b.ok) return b.response;
    return ok(await confirmTotpEnrollment(f.totp, userId, b.value.code, originOf(req, d.now())));
  });
  // Removing the authenticator needs a current code from it: a stolen access token alone cannot take the factor away.
  signedIn("POST", "/api/auth/totp/remove", async (req, userId) => {
    const b = body(req, z.object({ code: z.string().min(1).max(16) }));
    if (!b.ok) return b.response;
    const checked = await verifyTotp(f.totp, userId, b.value.code, originOf(req, d.now()));
    if (!checked.ok) return refusal(checked);
    return ok(await removeTotp(f.totp, userId, originOf(req, d.now())));
  });

  signedIn("POST", "/api/auth/password/set", async (req, userId) => {
    const b = body(req, z.object({ password: z.string().min(1).max(1_024) }));
    if (!b.ok) return b.response;
    return ok(await setPassword(f.passwords, userId, b.value.password, originOf(req, d.now())));
  });
  signedIn("POST", "/api/auth/password/remove", async (req, userId) =>
    ok(await removePassword(f.passwords, userId, originOf(req, d.now()))),
  );

  // Without `gym`: an install with exactly one gym answers for it (the sign-in screens of a one-gym install need no link).
  router.get("/api/auth/sign-in-options", async (req) => {
    let gymId = req.query.get("gym") ?? "";
    if (gymId === "") {
      const only = await d.settings.onlyGym();
      if (only === null)
        return json(200, { gymId: null, passwords: false, staffSecondFactor: false, selfSignUp: false, singleSignOn: null });
      gymId = only;
    }
    if (!UUID.test(gymId)) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
    const [policy, provider] = await Promise.all([f.policies.get(gymId), f.providers.get(gymId)]);
    const options = {
      passwords: policy.passwordsAllowed,
      staffSecondFactor: policy.staffSecondFactor,
      selfSignUp: policy.selfSignUp ?? false,
      singleSignOn: provider ? { name: provider.displayName } : null,
    };
    return json(200, req.query.has("gym") ? options : { gymId, ...options });
  });

  /** Null for an active owner of the gym; else 404 to people outside it (no existence leak), 403 to everyone else in it. */
  const ownerRefusal = async (gymId: string, userId: string): Promise<HttpResponse | null> => {
    const m = await d.settings.membership(gymId, userId);
    if (!m) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
    return m.role === "owner" && m.status === "active"
      ? null
      : json(403, { error: { code: "FORBIDDEN", message: "Only the gym's owners change how people sign in." } });
  };

  // The owner's sign-in screen: the policy, the provider without its secret, and the address to register at the provider.
  router.get("/api/auth/sign-in-settings", async (req) => {
    const gymId = req.query.get("gym") ?? "";
    if (!UUID.test(gymId)) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
    const who = await bearer(req, d.verifier, d.limits);
    if (!who.ok) return who.response;
    const refused = await ownerRefusal(gymId, who.userId);
    if (refused) return refused;
    const [policy, provider] = await Promise.all([f.policies.get(gymId), f.providers.get(gymId)]);
    return json(200, {
      policy,
      provider: provider
        ? {
            issuer: provider.issuer,
            clientId: provider.clientId,
            displayName: provider.displayName,
            hasClientSecret: provider.clientSecret !== null,
          }
        : null,
      callbackUrl: f.oidc.redirectUri,
    });
  });
  router.post("/api/gyms/*", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const [, , , gymId, leaf] = req.path.split("/");
    if (!gymId || !UUID.test(gymId) || (leaf !== "sign-in-policy" && leaf !== "identity-provider"))
      return json(404, { error: { code: "NOT_FOUND", message: "No such endpoint." } });
    const who = await bearer(req, d.verifier, d.limits);
    if (!who.ok) return who.response;
    const notOwner = await ownerRefusal(gymId, who.userId);
    if (notOwner) return notOwner;
    if (leaf === "sign-in-policy") {
      const b = body(req, z.object({ passwordsAllowed: z.boolean(), staffSecondFactor: z.boolean(), selfSignUp: z.boolean().optional() }));
      if (!b.ok) return b.response;
      return json(200, await d.settings.savePolicy(gymId, who.userId, b.value, d.now()));
    }
    const b = body(
      req,
      z.object({
        provider: z
          .object({
            issuer: z.url({ protocol: /^https?$/ }).max(500),
            clientId: z.string().min(1).max(200),
            /** Omitted: keep the stored secret (same issuer and client); null: a public client. */
            clientSecret: z.string().min(1).max(500).nullable().optional(),
            displayName: z.string().trim().min(1).max(100),
          })
          .nullable(),
      }),
    );
    if (!b.ok) return b.response;
    const p = b.value.provider;
    let config = null;
    if (p) {
      const stored = p.clientSecret === undefined ? await f.providers.get(gymId) : null;
      const kept = stored && stored.issuer === p.issuer && stored.clientId === p.clientId ? stored.clientSecret : null;
      config = {
        issuer: p.issuer,
        clientId: p.clientId,
        displayName: p.displayName,
        clientSecret: p.clientSecret === undefined ? kept : p.clientSecret,
      };
    }
    await d.settings.saveProvider(gymId, who.userId, config, d.now());
    return json(200, { singleSignOn: b.value.provider ? { name: b.value.provider.displayName } : null });
  });
}
