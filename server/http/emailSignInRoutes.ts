/**
 * Email sign-in routes: `POST /api/auth/email/start { email, app }` (always 202, whatever the address) and
 * `POST /api/auth/email/verify { email, code } | { link }`. The browser-binding nonce lives in the `spotter_signin`
 * cookie (HttpOnly, Secure, SameSite=Strict, 15 minutes); a completed sign-in sets the refresh cookie.
 */
import { z } from "zod";
import type { EmailSignIn, EmailSignInError } from "../../app/signin/emailSignIn.js";
import { LOGIN_TTL_MS } from "../../app/signin/emailSignIn.js";
import { COOKIE_PATH, crossSite, readCookie, requestInfo, signedInResponse } from "./sessionCookies.js";
import { json, type HttpRequest, type HttpResponse, type Router } from "./router.js";

export const SIGNIN_COOKIE = "spotter_signin";

const Email = z.string().trim().min(3).max(320).email("Enter an email address like name@example.com.");
const StartSchema = z.strictObject({ email: Email, app: z.enum(["member", "staff"]).default("member") });
const VerifySchema = z.union([
  z.strictObject({
    email: Email,
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "The code has 6 digits."),
  }),
  z.strictObject({
    link: z
      .string()
      .min(16)
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/),
  }),
]);

const bindingCookie = (nonce: string, maxAgeSeconds: number) =>
  `${SIGNIN_COOKIE}=${nonce}; Path=${COOKIE_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;

/** The request's JSON body, or null when it is not JSON. */
export function jsonBody(req: HttpRequest): unknown {
  try {
    return JSON.parse(Buffer.from(req.body).toString("utf8"));
  } catch {
    return null;
  }
}

const invalid = (issues: readonly { path: readonly PropertyKey[]; message: string }[], message: string): HttpResponse =>
  json(400, {
    error: {
      code: "VALIDATION_FAILED",
      message,
      fields: Object.fromEntries(issues.map((i) => [i.path.map(String).join(".") || "body", i.message])),
    },
  });

const refusal = (e: EmailSignInError): HttpResponse =>
  e.code === "RATE_LIMITED"
    ? json(
        429,
        { error: { code: e.code, message: e.message, retryAfterMs: e.retryAfterMs } },
        { "retry-after": String(Math.ceil((e.retryAfterMs ?? 1000) / 1000)) },
      )
    : json(400, { error: { code: e.code, message: e.message } });

export function addEmailSignInRoutes(router: Router, d: { email: EmailSignIn; now: () => number }): void {
  router.post("/api/auth/email/start", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const parsed = StartSchema.safeParse(jsonBody(req));
    if (!parsed.success) return invalid(parsed.error.issues, "Enter your email address.");
    const started = await d.email.start(parsed.data.email, parsed.data.app, readCookie(req, SIGNIN_COOKIE), requestInfo(req));
    if (!started.ok) return refusal(started);
    return json(
      202,
      {
        message:
          "Check your inbox: if this address has an account, we've sent a sign-in link and a 6-digit code. They work for 15 minutes, in this browser.",
      },
      { "set-cookie": bindingCookie(started.browserNonce, LOGIN_TTL_MS / 1000) },
    );
  });

  router.post("/api/auth/email/verify", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const parsed = VerifySchema.safeParse(jsonBody(req));
    if (!parsed.success) return invalid(parsed.error.issues, "Type the 6-digit code from the mail.");
    const nonce = readCookie(req, SIGNIN_COOKIE);
    const outcome =
      "link" in parsed.data
        ? await d.email.verifyLink(parsed.data.link, nonce, requestInfo(req))
        : await d.email.verifyCode(parsed.data.email, parsed.data.code, nonce, requestInfo(req));
    if (!outcome.ok) return refusal(outcome);
    if ("secondFactor" in outcome) return json(200, { secondFactor: outcome.secondFactor });
    return signedInResponse(outcome.signedIn, d.now());
  });
}
