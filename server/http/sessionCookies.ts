/**
 * The refresh cookie and the answers that carry a session to the browser. The refresh token lives ONLY in an
 * `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/api/auth` (scripts cannot read it, other sites cannot send
 * it, no other route sees it); the short-lived access token travels in the JSON body and stays in the page's memory.
 */
import type { RequestInfo } from "../../app/signin/ports.js";
import type { SignedIn } from "../../app/signin/sessions.js";
import { json, type HttpRequest, type HttpResponse } from "./router.js";

export const REFRESH_COOKIE = "spotter_refresh";
export const COOKIE_PATH = "/api/auth";

/** `Set-Cookie` for a refresh token. `Secure` always: browsers accept it on http://localhost (a secure context). */
export function refreshCookie(token: string, expiresAt: number, now: number): string {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  return `${REFRESH_COOKIE}=${token}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Strict`;
}

/** `Set-Cookie` that removes the refresh cookie. */
export const clearRefreshCookie = (): string => `${REFRESH_COOKIE}=; Path=${COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;

/** One cookie's value from the request's `Cookie` header. */
export function readCookie(req: HttpRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** The browser facts a session keeps: address and user agent (cut to the columns' sizes). */
export const requestInfo = (req: HttpRequest): RequestInfo => ({
  ip: (req.ip || "").slice(0, 64),
  userAgent: (req.headers["user-agent"] ?? "").slice(0, 400),
});

/** What the browser sees of a session: who, which session, the access token and its expiry. Never the refresh token. */
export function sessionBody(s: SignedIn): { userId: string; sessionId: string; accessToken: string; accessExpiresAt: number } {
  return { userId: s.userId, sessionId: s.sessionId, accessToken: s.accessToken, accessExpiresAt: s.accessExpiresAt };
}

/** The answer to a completed sign-in or refresh: the body plus the rotated refresh cookie. */
export function signedInResponse(s: SignedIn, now: number, extraCookies: string[] = []): HttpResponse {
  const res = json(200, sessionBody(s));
  return {
    ...res,
    headers: { ...res.headers, "set-cookie": [refreshCookie(s.refreshToken, s.refreshExpiresAt, now), ...extraCookies].join("\n") },
  };
}

/**
 * Cross-site request refusal for the cookie routes: SameSite=Strict already keeps the cookie off other sites' requests;
 * on top, a custom header (which no form and no simple cross-origin request can send) and, when sent, a same-host Origin.
 */
export function crossSite(req: HttpRequest): HttpResponse | null {
  const origin = req.headers.origin;
  const host = req.headers.host;
  const sameHost = !origin || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
  if (req.headers["x-spotter"] !== "1" || !sameHost)
    return json(403, { error: { code: "FORBIDDEN", message: "This request must come from the Spotter app itself." } });
  return null;
}
