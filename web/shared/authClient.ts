/**
 * The browser's side of a Spotter session (both apps): the access token lives only in this page's memory; the
 * refresh token is an HttpOnly cookie the page never sees. `resume()` asks the server for a fresh access token with
 * that cookie; `keepFresh` renews it at ~80 % of its lifetime and hands it to the socket (`auth:renew`). Refreshes of
 * all tabs go one at a time (Web Locks): two tabs spending one refresh token at once would look like a replay.
 */
import { PROTOCOL_VERSION } from "../../domain/protocol/version.js";

/** What a sign-in or refresh answers. */
export interface SessionInfo {
  userId: string;
  /** Absent for a token given by a script (`#token=`), which cannot be refreshed. */
  sessionId?: string;
  accessToken: string;
  accessExpiresAt: number;
}

export type AuthAnswer<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

/** POST to a sign-in route (same origin, cookies, the `X-Spotter` header those routes require). */
export async function authPost<T>(path: string, body?: unknown): Promise<AuthAnswer<T>> {
  try {
    const res = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-spotter": "1" },
      body: JSON.stringify(body ?? {}),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } } & T;
    if (res.ok) return { ok: true, value: json };
    return {
      ok: false,
      status: res.status,
      code: json.error?.code ?? "UNAVAILABLE",
      message: json.error?.message ?? "Something went wrong — try again.",
    };
  } catch {
    return { ok: false, status: 0, code: "UNAVAILABLE", message: "Can't reach Spotter — check your connection and try again." };
  }
}

/** One refresh at a time across this browser's tabs. */
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const locks = (navigator as { locks?: LockManager }).locks;
  return locks ? (locks.request("spotter-refresh", run) as Promise<T>) : run();
}

/** A fresh access token from the refresh cookie (rotating it), or why there is none. */
export function resume(): Promise<AuthAnswer<SessionInfo>> {
  return oneAtATime(() => authPost<SessionInfo>("/api/auth/refresh"));
}

/** Ends this device's session (the cookie is cleared by the server). */
export async function signOut(): Promise<void> {
  await authPost("/api/auth/sign-out");
}

/** Reads and removes `#<key>=…` from the address bar (sign-in links, invitations, script tokens), so it is never shared or bookmarked. */
export function takeFromHash(key: "signin" | "invite" | "token"): string | null {
  const match = new RegExp(`(?:^#|&)${key}=([^&]+)`).exec(location.hash);
  if (!match?.[1]) return null;
  history.replaceState(history.state, "", location.pathname + location.search);
  return decodeURIComponent(match[1]);
}

/** The user id and expiry a JWT claims (unverified: the server verifies). */
export function tokenClaims(token: string): { userId: string; expiresAt: number } | null {
  try {
    const part = token.split(".")[1];
    if (!part) return null;
    const json = JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown; exp?: unknown };
    if (typeof json.sub !== "string") return null;
    return { userId: json.sub, expiresAt: typeof json.exp === "number" ? json.exp * 1000 : 0 };
  } catch {
    return null;
  }
}

/** A token from a script's `#token=` link: kept in memory only, not refreshable. */
export function scriptSession(token: string): SessionInfo | null {
  const claims = tokenClaims(token);
  return claims ? { userId: claims.userId, accessToken: token, accessExpiresAt: claims.expiresAt } : null;
}

/** What a socket needs to keep its token fresh. */
interface RenewableSocket {
  connected: boolean;
  auth: unknown;
  timeout(ms: number): { emitWithAck(event: "auth:renew", req: { token: string }): Promise<{ ok: boolean; error?: { message?: string } }> };
}

/**
 * Renews `session` before it expires (refresh → `auth:renew` on the socket, rooms kept) until stopped; `onEnded`
 * hears, in words, when the session cannot go on (signed out elsewhere, expired, replayed). Returns the stop.
 */
export function keepFresh(
  session: SessionInfo,
  socket: RenewableSocket,
  onEnded: (message: string) => void,
  onRenewed?: (s: SessionInfo) => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const current = session;
  // Every (re)connect hands over the newest token, and the protocol version this app was built for.
  socket.auth = (cb: (auth: { token: string; protocol: number }) => void) => cb({ token: current.accessToken, protocol: PROTOCOL_VERSION });
  const schedule = () => {
    if (stopped || !current.sessionId) return;
    const lifetime = current.accessExpiresAt - Date.now();
    timer = setTimeout(() => void renew(), Math.max(5_000, lifetime * 0.8));
  };
  const renew = async () => {
    if (stopped) return;
    const next = await resume();
    if (stopped) return;
    if (!next.ok) {
      if (next.status === 0)
        timer = setTimeout(() => void renew(), 10_000); // offline: try again soon
      else onEnded(next.message);
      return;
    }
    Object.assign(current, next.value);
    onRenewed?.(current);
    if (socket.connected) {
      const ack = await socket
        .timeout(10_000)
        .emitWithAck("auth:renew", { token: current.accessToken })
        .catch(() => null);
      if (ack && !ack.ok) return onEnded(ack.error?.message ?? "Please sign in again.");
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
