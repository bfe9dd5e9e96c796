import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { UuidSchema } from "../domain/protocol/envelope.js";

/** Who a verified token speaks for. Roles are NOT in the token: they come from the database per gym. */
export interface Identity {
  userId: string;
  /** Token expiry, epoch ms. */
  expiresAt: number;
}

export type VerifyResult = { ok: true; identity: Identity } | { ok: false; code: "UNAUTHENTICATED"; message: string };

/** Verifies tokens with an HS256 secret or a remote JWKS (EdDSA / RS256 / ES256). */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(
    source: { secret: string } | { jwksUrl: string },
    private readonly issuer?: string,
  ) {
    this.key = "secret" in source ? new TextEncoder().encode(source.secret) : createRemoteJWKSet(new URL(source.jwksUrl));
  }

  async verify(token: unknown): Promise<VerifyResult> {
    if (typeof token !== "string" || token.length === 0 || token.length > 8192)
      return { ok: false, code: "UNAUTHENTICATED", message: "Sign in first: no token was sent." };
    try {
      const options = {
        algorithms: ["HS256", "EdDSA", "RS256", "ES256"],
        requiredClaims: ["sub", "exp"],
        ...(this.issuer ? { issuer: this.issuer } : {}),
      };
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      if (typeof payload.sub !== "string" || payload.sub.length > 64)
        return { ok: false, code: "UNAUTHENTICATED", message: "The token names no user." };
      // One spelling per user: a UUID subject in upper case (some identity providers) is the same user as in lower case,
      // and per-user rate limits, `user:` rooms and feed channels are keyed by the id's stored (lower-case) spelling.
      const userId = UuidSchema.safeParse(payload.sub).success ? payload.sub.toLowerCase() : payload.sub;
      return { ok: true, identity: { userId, expiresAt: (payload.exp ?? 0) * 1000 } };
    } catch (err) {
      const expired = err instanceof errors.JWTExpired;
      return {
        ok: false,
        code: "UNAUTHENTICATED",
        message: expired ? "Your session expired — sign in again." : "The token is not valid — sign in again.",
      };
    }
  }
}

/** Signs an HS256 token for a user (dev tooling, tests, the demo login). */
export async function signToken(secret: string, userId: string, ttlSeconds = 12 * 3600, issuer?: string): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(userId).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (issuer) jwt = jwt.setIssuer(issuer);
  return jwt.sign(new TextEncoder().encode(secret));
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
