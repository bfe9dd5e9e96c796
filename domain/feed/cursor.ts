/**
 * Opaque, stable feed cursors: the (at, id) of the last card of a page. The next page is every visible
 * event strictly older in (at desc, id desc) order — keyset, never an offset — so events appended
 * meanwhile (delivered live) neither repeat nor shift a page.
 */

export interface FeedPosition {
  at: number;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 9999-12-31T23:59:59.999Z: later instants are written "+275760-…" (or are no `Date` at all), which PostgreSQL refused (INTERNAL). */
const MaxInstant = 253_402_300_799_999;

const toBase64Url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64Url = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));

/** The cursor after `p`. */
export function encodeCursor(p: FeedPosition): string {
  return toBase64Url(`${p.at}.${p.id}`);
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(cursor: string): FeedPosition | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) return null;
  let text: string;
  try {
    text = fromBase64Url(cursor);
  } catch {
    return null;
  }
  const dot = text.indexOf(".");
  const at = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(at) || at < 0 || at > MaxInstant || !UUID.test(id)) return null;
  return { at, id };
}
