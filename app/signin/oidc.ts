/**
 * Single sign-on for gyms with an identity provider: OpenID Connect authorization code flow with PKCE (S256),
 * `state` and `nonce` (`openid-client`). The state lives server-side (single use, 10 minutes) and is bound to the
 * browser that started it (a random value the HTTP layer keeps in an HttpOnly cookie). The ID token is checked by
 * openid-client AND by the server's JWKS verification with issuer and audience required.
 *
 * A provider's subject is linked to a Spotter account once: on first sign-in, by the provider's *verified* email of
 * an active member of that gym. Nobody gets an account by signing in with the provider — invitations create them.
 */
import * as client from "openid-client";
import type {
  AccountLookup,
  AttemptLimiter,
  ChallengeStore,
  FactorAudit,
  IdTokenVerifier,
  IdentityProviderConfig,
  IdentityProviderStore,
  OidcIdentityStore,
  RequestOrigin,
} from "./factorPorts.js";
import { refuse, spendAttempts, type FactorResult } from "./factorErrors.js";
import { randomId } from "./passkeys.js";

export interface OidcDeps {
  providers: IdentityProviderStore;
  identities: OidcIdentityStore;
  challenges: ChallengeStore;
  accounts: AccountLookup;
  audit: FactorAudit;
  limiter: AttemptLimiter;
  idTokens: IdTokenVerifier;
  /** This server's callback, registered at the provider, e.g. `https://gym.example/auth/oidc/callback`. */
  redirectUri: string;
  /** Discovery documents by issuer + client + secret (one fetch per provider setting and process). */
  discovered?: Map<string, Promise<client.Configuration>>;
}

export const OIDC_STATE_MS = 10 * 60_000;
const PURPOSE = "oidc";
const FAILED = "Signing in with your gym's account didn't work — try again, or sign in with an email link.";

/** Where to send the browser, and the value the HTTP layer keeps in an HttpOnly cookie until the callback. */
export async function startOidcSignIn(
  deps: OidcDeps,
  gymId: string,
  origin: RequestOrigin,
): Promise<FactorResult<{ url: string; binding: string }>> {
  const limited = await spendAttempts(deps.limiter, origin.ip ? [`ip:${origin.ip}`] : [], origin.now);
  if (limited) return limited;
  const provider = await deps.providers.get(gymId);
  if (!provider) return refuse("METHOD_DISABLED", "This gym has no single sign-on — sign in with an email link.");
  const config = await configuration(deps, provider);
  if (!config)
    return refuse(
      "UNAVAILABLE",
      `${provider.displayName} can't be reached right now — try again in a minute, or sign in with an email link.`,
    );
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const binding = randomId();
  await deps.challenges.put({
    id: state,
    purpose: PURPOSE,
    userId: null,
    payload: { gymId, verifier, nonce, binding },
    expiresAt: origin.now + OIDC_STATE_MS,
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: deps.redirectUri,
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { ok: true, url: url.href, binding };
}

/**
 * Completes the flow from the callback's query string and the browser's binding cookie: who signed in, at which gym.
 * Every failure is audited; the answer never carries the provider's error text.
 */
export async function finishOidcSignIn(
  deps: OidcDeps,
  input: { query: string; binding: string | undefined },
  origin: RequestOrigin,
): Promise<FactorResult<{ userId: string; gymId: string }>> {
  const params = new URLSearchParams(input.query);
  const state = params.get("state") ?? "";
  const taken = state.length > 0 && state.length <= 64 ? await deps.challenges.take(state, PURPOSE, origin.now) : null;
  if (!taken) return refuse("CHALLENGE_EXPIRED", "That sign-in took too long or was already used — start again.");
  const { gymId, verifier, nonce, binding } = taken.payload as { gymId: string; verifier: string; nonce: string; binding: string };
  const fail = async (reason: string, userId: string | null = null) => {
    await deps.audit.record({ at: origin.now, userId, gymId, action: "oidc:failed", ip: origin.ip, summary: { reason } });
    return refuse("INVALID_CREDENTIALS", FAILED);
  };
  if (!input.binding || input.binding !== binding) return fail("other_browser");
  if (params.has("error")) return fail(`provider_error:${(params.get("error") ?? "").slice(0, 40)}`);
  const provider = await deps.providers.get(gymId);
  const config = provider ? await configuration(deps, provider) : null;
  if (!provider || !config) return fail("provider_unavailable");
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, new URL(`${deps.redirectUri}?${params}`), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
  } catch {
    return fail("code_exchange_failed");
  }
  const claims = tokens.claims();
  const jwksUrl = config.serverMetadata().jwks_uri;
  const checked =
    tokens.id_token && jwksUrl
      ? await deps.idTokens.verify(tokens.id_token, { jwksUrl, issuer: provider.issuer, audience: provider.clientId })
      : null;
  if (!claims || !checked || checked.subject.toLowerCase() !== claims.sub.toLowerCase()) return fail("id_token_refused");
  const userId =
    (await deps.identities.find(provider.issuer, claims.sub)) ??
    (await linkByEmail(deps, provider, await emailOf(config, tokens.access_token, claims), origin));
  if (!userId) return fail("no_account");
  if ((await deps.accounts.activeRole(gymId, userId)) === null) return fail("not_a_member", userId);
  return { ok: true, userId, gymId };
}

/** The email claims: from the ID token, else from the userinfo endpoint (providers that keep ID tokens small). */
async function emailOf(
  config: client.Configuration,
  accessToken: string,
  claims: client.IDToken,
): Promise<{ sub: string; email?: unknown; email_verified?: unknown }> {
  if (typeof claims.email === "string") return claims;
  try {
    const info = await client.fetchUserInfo(config, accessToken, claims.sub);
    return { sub: claims.sub, email: info.email, email_verified: info.email_verified };
  } catch {
    return claims;
  }
}

/** First sign-in: the provider vouches for the email (`email_verified`), and that person is an active member of the gym. */
async function linkByEmail(
  deps: OidcDeps,
  provider: IdentityProviderConfig,
  claims: { sub: string; email?: unknown; email_verified?: unknown },
  origin: RequestOrigin,
): Promise<string | null> {
  if (typeof claims.email !== "string" || claims.email_verified !== true) return null;
  const account = await deps.accounts.byEmail(claims.email.trim().toLowerCase());
  if (!account || (await deps.accounts.activeRole(provider.gymId, account.id)) === null) return null;
  if (!(await deps.identities.link(provider.issuer, claims.sub, account.id, origin.now))) return null;
  await deps.audit.record({
    at: origin.now,
    userId: account.id,
    gymId: provider.gymId,
    action: "oidc:linked",
    ip: origin.ip,
    summary: { issuer: provider.issuer },
  });
  return account.id;
}

/** The provider's discovery document, fetched once; plain HTTP only for a provider on this machine (tests, development). */
function configuration(deps: OidcDeps, provider: IdentityProviderConfig): Promise<client.Configuration | null> {
  const cache = (deps.discovered ??= new Map());
  // The secret is part of the key: an owner correcting it takes effect at the next sign-in, not at a restart.
  const key = `${provider.issuer}\n${provider.clientId}\n${provider.clientSecret ?? ""}`;
  let found = cache.get(key);
  if (!found) {
    const issuer = new URL(provider.issuer);
    const local = issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
    found = client.discovery(
      issuer,
      provider.clientId,
      provider.clientSecret ?? undefined,
      provider.clientSecret ? undefined : client.None(),
      {
        ...(local ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      },
    );
    cache.set(key, found);
    found.catch(() => cache.delete(key)); // a provider that was down is asked again next time
  }
  return found.catch(() => null);
}
