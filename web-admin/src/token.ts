/**
 * The staff app's current access token, in this page's memory only (never localStorage: a script injected into the
 * page could read that for as long as it lives). HTTP downloads (CSV exports) send it as `Authorization: Bearer`.
 */
let current: string | null = null;

export function setCurrentToken(token: string | null): void {
  current = token;
}

export function currentToken(): string | null {
  return current;
}
