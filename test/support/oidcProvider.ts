/**
 * A real OpenID Connect provider (`oidc-provider`) on 127.0.0.1, for the single sign-on tests. Its login screen
 * signs in whoever the test names in `nextLogin` (no form) and grants the requested scopes, so a browser or
 * `followRedirects` walks the whole authorization code flow against the real endpoints.
 * @example const idp = await startIdentityProvider(redirectUri); idp.nextLogin = { sub: "u-1", email, email_verified: true };
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider from "oidc-provider";

export interface TestLogin {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's signing key (private), to forge tokens in tests. */
  signingKey: JWK;
  /** Who the next login is. */
  nextLogin: TestLogin;
  close(): Promise<void>;
}

export async function startIdentityProvider(redirectUri: string): Promise<TestIdentityProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const logins = new Map<string, TestLogin>();
  const idp: TestIdentityProvider = {
    issuer,
    clientId: "spotter-test",
    clientSecret: "spotter-test-secret-0123456789abcdef",
    signingKey,
    nextLogin: { sub: "nobody" },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        redirect_uris: [redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["spotter-test-cookie-key-0123456789"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
    findAccount: async (_ctx: unknown, id: string) => {
      const login = logins.get(id);
      return login ? { accountId: id, claims: async () => ({ ...login }) } : undefined;
    },
  });
  provider.on("server_error", (_ctx, err) => console.error("test identity provider:", err));
  const handle = provider.callback();
  server.on("request", (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? "");
    if (!match) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        const login = idp.nextLogin;
        logins.set(login.sub, login);
        await provider.interactionFinished(req, res, { login: { accountId: login.sub } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId!, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return idp;
}

/**
 * Follows redirects from `url` with a cookie jar (as a browser would) until one points at `stopAt`; returns that URL.
 */
export async function followRedirects(url: string, stopAt: string, jar = new Map<string, string>()): Promise<URL> {
  let next = new URL(url);
  for (let hop = 0; hop < 20; hop++) {
    if (next.href.startsWith(stopAt)) return next;
    const res = await fetch(next, { redirect: "manual", headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.get("location");
    if (!location) throw new Error(`${next.href} answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
    next = new URL(location, next);
  }
  throw new Error("too many redirects");
}
