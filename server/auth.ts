import { createHmac, randomBytes, randomInt, randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { UuidSchema } from "../domain/protocol/envelope.js";
import type { AccessTokenSigner, Secrets } from "../app/signin/ports.js";

/** Who a verified token speaks for. Roles are NOT in the token: they come from the database per gym. */
export interface Identity {
  userId: string;
  /** Token expiry, epoch ms. */
  expiresAt: number;
  /** When the token was issued (`iat`), epoch ms: tokens issued before the user's revocation are refused. */
  issuedAt: number;
  /** The sign-in session (`sid`) of a session access token; absent for tokens minted by `npm run token` or an outside issuer. */
  sessionId?: string;
}

/** Why a token was refused: `ACCOUNT_DELETED` for an erased account (stable, so apps can say so and stop retrying). */
export type VerifyResult = { ok: true; identity: Identity } | { ok: false; code: "UNAUTHENTICATED" | "ACCOUNT_DELETED"; message: string };

/** Refusal of a verified token by who it names: revoked (signed out, access changed) or deleted. Null = accepted. */
export type RevocationCheck = (
  userId: string,
  issuedAt: number,
  sessionId?: string,
) => Promise<{ code: "UNAUTHENTICATED" | "ACCOUNT_DELETED"; message: string } | null>;

export interface VerifierOptions {
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Longest accepted lifetime (`exp - iat`), ms. */
  maxLifetimeMs?: number;
  /** Per-user "tokens valid after" and deleted accounts. */
  revoked?: RevocationCheck;
  now?: () => number;
}

/** How far a token's `iat` may lie in our future (clock skew between the issuer and this node), seconds. */
const CLOCK_SKEW_SECONDS = 60;
const DEFAULT_MAX_LIFETIME_MS = 12 * 3_600_000;

/** Verifies tokens with an HS256 secret or a remote JWKS (EdDSA / RS256 / ES256). */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(
    source: { secret: string } | { jwksUrl: string },
    private readonly options: VerifierOptions = {},
  ) {
    this.key = "secret" in source ? new TextEncoder().encode(source.secret) : createRemoteJWKSet(new URL(source.jwksUrl));
  }

  async verify(token: unknown): Promise<VerifyResult> {
    if (typeof token !== "string" || token.length === 0 || token.length > 8192)
      return { ok: false, code: "UNAUTHENTICATED", message: "Sign in first: no token was sent." };
    const { issuer, audience, revoked } = this.options;
    let payload;
    try {
      const options = {
        algorithms: ["HS256", "EdDSA", "RS256", "ES256"],
        requiredClaims: ["sub", "exp", "iat"],
        // The node's clock decides expiry here as in the sweep that ends expired sockets (one clock, not two).
        ...(this.options.now ? { currentDate: new Date(this.options.now()) } : {}),
        ...(issuer ? { issuer } : {}),
        ...(audience ? { audience } : {}),
      };
      ({ payload } =
        this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options));
    } catch (err) {
      const expired = err instanceof errors.JWTExpired;
      return {
        ok: false,
        code: "UNAUTHENTICATED",
        message: expired ? "Your session expired — sign in again." : "The token is not valid — sign in again.",
      };
    }
    if (typeof payload.sub !== "string" || payload.sub.length > 64)
      return { ok: false, code: "UNAUTHENTICATED", message: "The token names no user." };
    const iat = payload.iat ?? 0;
    const exp = payload.exp ?? 0;
    // Lifetime is capped (a stolen token is not good for days), and an `iat` in the future would dodge "tokens valid after".
    if (iat * 1000 > (this.options.now ?? Date.now)() + CLOCK_SKEW_SECONDS * 1000)
      return { ok: false, code: "UNAUTHENTICATED", message: "The token is dated in the future — check the clock and sign in again." };
    if ((exp - iat) * 1000 > (this.options.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS))
      return { ok: false, code: "UNAUTHENTICATED", message: "The token is valid for longer than this server accepts — sign in again." };
    // One spelling per user: a UUID subject in upper case (some identity providers) is the same user as in lower case,
    // and per-user rate limits, `user:` rooms and feed channels are keyed by the id's stored (lower-case) spelling.
    const userId = UuidSchema.safeParse(payload.sub).success ? payload.sub.toLowerCase() : payload.sub;
    const sid = typeof payload.sid === "string" && UuidSchema.safeParse(payload.sid).success ? payload.sid.toLowerCase() : undefined;
    const identity: Identity = { userId, expiresAt: exp * 1000, issuedAt: iat * 1000, ...(sid ? { sessionId: sid } : {}) };
    const refusal = revoked ? await revoked(userId, identity.issuedAt, sid) : null;
    return refusal ? { ok: false, ...refusal } : { ok: true, identity };
  }
}

/** Signs an HS256 token for a user (dev tooling, tests, the demo login). */
export async function signToken(
  secret: string,
  userId: string,
  ttlSeconds = 12 * 3600,
  issuer?: string,
  issuedAtSeconds?: number,
): Promise<string> {
  const iat = issuedAtSeconds ?? Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds);
  if (issuer) jwt = jwt.setIssuer(issuer);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Signs session access tokens (HS256 with the node's secret): `sub`, `sid` (the session), `amr` (how they signed in). */
export function accessTokenSigner(secret: string, issuer?: string, audience?: string): AccessTokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    sign: async ({ userId, sessionId, amr, issuedAtSeconds, ttlSeconds }) => {
      let jwt = new SignJWT({ sid: sessionId, amr })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuedAt(issuedAtSeconds)
        .setExpirationTime(issuedAtSeconds + ttlSeconds);
      if (issuer) jwt = jwt.setIssuer(issuer);
      if (audience) jwt = jwt.setAudience(audience);
      return jwt.sign(key);
    },
  };
}

/** Random tokens, ids and 6-digit codes, and their keyed hashes (HMAC-SHA-256 under a key derived from the node secret). */
export function nodeSecrets(secret: string): Secrets {
  const key = createHmac("sha256", secret).update("spotter sign-in secrets v1").digest();
  return {
    id: () => randomUUID(),
    token: () => randomBytes(32).toString("base64url"),
    code: () => String(randomInt(0, 1_000_000)).padStart(6, "0"),
    hash: (value) => createHmac("sha256", key).update(value).digest("hex"),
  };
}

/** The embedded mode's HS256 secret: generated once, kept in DATA_DIR with owner-only permissions. */
export function devSecret(dataDir: string): string {
  const file = join(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The OpenID Connect path's ID token check: the same `TokenVerifier` as bearer tokens, on the provider's JWKS, with
 * issuer and audience REQUIRED (a token the provider issued to another client, or another provider's, is refused).
 */
export class JwksIdTokenVerifier {
  private readonly verifiers = new Map<string, TokenVerifier>();

  async verify(idToken: string, expected: { jwksUrl: string; issuer: string; audience: string }): Promise<{ subject: string } | null> {
    if (!expected.issuer || !expected.audience) return null;
    const key = `${expected.jwksUrl}\n${expected.issuer}\n${expected.audience}`;
    let verifier = this.verifiers.get(key);
    if (!verifier) {
      if (this.verifiers.size > 100) this.verifiers.clear();
      verifier = new TokenVerifier({ jwksUrl: expected.jwksUrl }, { issuer: expected.issuer, audience: expected.audience });
      this.verifiers.set(key, verifier);
    }
    const result = await verifier.verify(idToken);
    return result.ok ? { subject: result.identity.userId } : null;
  }
}
