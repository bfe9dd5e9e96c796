/** The member's sign-in token: taken from `#token=` once (then stripped from the URL) and kept in localStorage. */

const KEY = "spotter.member.token";

/** Moves `#token=…` from the URL into storage; returns the stored token, if any. */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    localStorage.setItem(KEY, decodeURIComponent(match[1]!));
    history.replaceState(history.state, "", location.pathname + location.search);
  }
  return localStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  localStorage.setItem(KEY, token);
}

export function clearToken(): void {
  localStorage.removeItem(KEY);
}

/** The user id (`sub`) of a JWT, read without verifying (the server verifies). Null when unreadable. */
export function tokenSubject(token: string): string | null {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" ? sub : null;
  } catch {
    return null;
  }
}
