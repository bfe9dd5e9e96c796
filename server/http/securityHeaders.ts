import type { HttpResponse } from "./router.js";

/**
 * The app pages' policy. Scripts only from this origin (Vite emits no inline script); styles also inline,
 * because the pages carry a `<style>` block and Lit templates bind `style="…"` attributes (Lit's own
 * component styles are adopted stylesheets and need nothing). Images may be `data:`/`blob:` (QR codes, charts).
 * `'self'` in connect-src covers the same-origin WebSocket.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Every other response (JSON, CSV, iCal, metrics) is data: it may load nothing and be framed by nobody. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

const ALWAYS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/**
 * Adds the security headers every response carries; a route's own (the app pages' CSP) wins, and a route's empty
 * value removes one (the trial form drops `x-frame-options`: its CSP `frame-ancestors` names who may frame it).
 */
export function withSecurityHeaders(out: HttpResponse): HttpResponse {
  const headers = Object.entries({ ...ALWAYS, "content-security-policy": DATA_CSP, ...out.headers }).filter(([, v]) => v !== "");
  return { ...out, headers: Object.fromEntries(headers) };
}
