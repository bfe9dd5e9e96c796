/** Where the staff app keeps its token (separate from the member app's). */
const KEY = "spotter.admin.token";

/**
 * The staff token: taken from `#token=…` (then stored and stripped from the address bar, so it
 * is not shared by copying the URL), else from localStorage.
 */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    localStorage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(history.state, "", location.pathname + location.search);
  }
  return localStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  localStorage.setItem(KEY, token.trim());
}

export function forgetToken(): void {
  localStorage.removeItem(KEY);
}

/** The user id and expiry a JWT claims (unverified: the server verifies; this only picks the user room). */
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

/** The stored token (for HTTP downloads that need `Authorization: Bearer`). */
export function currentToken(): string | null {
  return localStorage.getItem(KEY);
}
