/**
 * Sign-in with a factor (issue 17): passkey, password, the staff second factor, and OpenID Connect. Every route that
 * can start a session ends in `Sessions.completeSignIn` and answers with `signedInResponse` (refresh cookie + access
 * token); the POST routes need the app's `X-Spotter: 1` header (`crossSite`).
 */
import { z } from "zod";
import type { FactorResult } from "../../app/signin/factorErrors.js";
import { finishOidcSignIn, startOidcSignIn } from "../../app/signin/oidc.js";
import { finishPasskeySignIn, startPasskeySignIn } from "../../app/signin/passkeys.js";
import { verifyPasswordSignIn } from "../../app/signin/passwords.js";
import type { SignInMethod } from "../../app/signin/ports.js";
import {
  afterFirstFactor,
  secondFactorPasskey,
  secondFactorPasskeyOptions,
  secondFactorSetup,
  secondFactorSetupConfirm,
  secondFactorTotp,
  SECOND_FACTOR_TICKET_MS,
  type SignInReady,
} from "../../app/signin/secondFactor.js";
import type { Sessions } from "../../app/signin/sessions.js";
import type { Factors } from "../signin/factorRuntime.js";
import { body, originOf, refusal } from "./factorHttp.js";
import { crossSite, readCookie, requestInfo, signedInResponse } from "./sessionCookies.js";
import { json, type HttpRequest, type HttpResponse, type Router } from "./router.js";

export interface FactorSignInDeps {
  factors: Factors;
  sessions: Sessions;
  now: () => number;
}

const Uuid = z.uuid();
const Ticket = z.string().min(1).max(64);
const Code = z.string().min(1).max(16);
/** A WebAuthn answer as `@simplewebauthn/browser` sends it; the library checks its inside. */
const WebAuthnAnswer = z.looseObject({
  id: z.string().min(1).max(1_400),
  rawId: z.string().max(1_400),
  type: z.literal("public-key"),
  response: z.looseObject({}),
});
const OIDC_COOKIE = "spotter_oidc";
const SECOND_FACTOR_COOKIE = "spotter_second_factor";

export function addFactorSignInRoutes(router: Router, d: FactorSignInDeps): void {
  const f = d.factors;
  const post = (path: string, handler: (req: HttpRequest) => Promise<HttpResponse>) =>
    router.post(path, async (req) => crossSite(req) ?? handler(req));

  /** Signs in now, or hands out the second-factor ticket (in the body, and in a cookie for the OIDC redirect). */
  const firstFactorDone = async (req: HttpRequest, userId: string, method: SignInMethod): Promise<HttpResponse> => {
    const next = await afterFirstFactor(f.secondFactor, userId, method, originOf(req, d.now()));
    if (next.kind === "done") return complete(req, next);
    return json(200, { secondFactor: { ticket: next.ticket, methods: next.methods, setupRequired: next.setupRequired } });
  };
  const complete = async (req: HttpRequest, ready: SignInReady, extraCookies: string[] = []): Promise<HttpResponse> => {
    const signedIn = await d.sessions.completeSignIn({
      userId: ready.userId,
      method: ready.method as SignInMethod,
      factors: ready.factors,
      request: requestInfo(req),
    });
    return signedInResponse(signedIn, d.now(), extraCookies);
  };
  const finished = async (req: HttpRequest, result: FactorResult<SignInReady>): Promise<HttpResponse> =>
    result.ok ? complete(req, result, [clearCookie(SECOND_FACTOR_COOKIE, "/api/auth/second-factor")]) : refusal(result);
  const ticketOf = (req: HttpRequest, fromBody: string | undefined) => fromBody ?? readCookie(req, SECOND_FACTOR_COOKIE) ?? "";

  post("/api/auth/passkey/options", async (req) => {
    const started = await startPasskeySignIn(f.passkeys, originOf(req, d.now()));
    return started.ok ? json(200, { challengeId: started.challengeId, options: started.options }) : refusal(started);
  });
  post("/api/auth/passkey/verify", async (req) => {
    const b = body(req, z.object({ challengeId: Ticket, response: WebAuthnAnswer }));
    if (!b.ok) return b.response;
    const signed = await finishPasskeySignIn(
      f.passkeys,
      { challengeId: b.value.challengeId, response: b.value.response as never },
      originOf(req, d.now()),
    );
    return signed.ok ? firstFactorDone(req, signed.userId, "passkey") : refusal(signed);
  });

  post("/api/auth/password", async (req) => {
    const b = body(req, z.object({ gymId: Uuid, email: z.string().min(3).max(320), password: z.string().min(1).max(1_024) }));
    if (!b.ok) return b.response;
    const checked = await verifyPasswordSignIn(f.passwords, b.value.gymId, b.value.email, b.value.password, originOf(req, d.now()));
    return checked.ok ? firstFactorDone(req, checked.userId, "password") : refusal(checked);
  });

  const TicketBody = z.object({ ticket: Ticket.optional() });
  post("/api/auth/second-factor/totp", async (req) => {
    const b = body(req, TicketBody.extend({ code: Code }));
    if (!b.ok) return b.response;
    return finished(req, await secondFactorTotp(f.secondFactor, ticketOf(req, b.value.ticket), b.value.code, originOf(req, d.now())));
  });
  post("/api/auth/second-factor/setup", async (req) => {
    const b = body(req, TicketBody);
    if (!b.ok) return b.response;
    const started = await secondFactorSetup(f.secondFactor, ticketOf(req, b.value.ticket), originOf(req, d.now()));
    return started.ok ? json(200, { secret: started.secret, uri: started.uri }) : refusal(started);
  });
  post("/api/auth/second-factor/setup/confirm", async (req) => {
    const b = body(req, TicketBody.extend({ code: Code }));
    if (!b.ok) return b.response;
    return finished(
      req,
      await secondFactorSetupConfirm(f.secondFactor, ticketOf(req, b.value.ticket), b.value.code, originOf(req, d.now())),
    );
  });
  post("/api/auth/second-factor/passkey/options", async (req) => {
    const b = body(req, TicketBody);
    if (!b.ok) return b.response;
    const started = await secondFactorPasskeyOptions(f.secondFactor, ticketOf(req, b.value.ticket), originOf(req, d.now()));
    return started.ok ? json(200, { challengeId: started.challengeId, options: started.options }) : refusal(started);
  });
  post("/api/auth/second-factor/passkey", async (req) => {
    const b = body(req, TicketBody.extend({ challengeId: Ticket, response: WebAuthnAnswer }));
    if (!b.ok) return b.response;
    const input = { ticket: ticketOf(req, b.value.ticket), challengeId: b.value.challengeId, response: b.value.response as never };
    return finished(req, await secondFactorPasskey(f.secondFactor, input, originOf(req, d.now())));
  });

  // OpenID Connect: top-level navigations (GET), so no custom header; the binding cookie ties the callback to this browser.
  router.get("/api/auth/oidc/start", async (req) => {
    const gym = Uuid.safeParse(req.query.get("gym"));
    if (!gym.success) return page(400, "That sign-in link is incomplete — open the sign-in screen again.");
    const app = req.query.get("app") === "admin" ? "admin" : "member";
    const started = await startOidcSignIn(f.oidc, gym.data, originOf(req, d.now()));
    if (!started.ok) return page(started.code === "RATE_LIMITED" ? 429 : 400, started.message);
    return redirect(started.url, [
      `${OIDC_COOKIE}=${started.binding}.${app}; Path=/api/auth/oidc; Max-Age=600; HttpOnly; Secure; SameSite=Lax`,
    ]);
  });
  router.get("/api/auth/oidc/callback", async (req) => {
    const [binding, app] = (readCookie(req, OIDC_COOKIE) ?? "").split(".");
    const home = app === "admin" ? "/admin/" : "/";
    const done = await finishOidcSignIn(f.oidc, { query: req.query.toString(), binding }, originOf(req, d.now()));
    const clear = clearCookie(OIDC_COOKIE, "/api/auth/oidc");
    if (!done.ok) return page(done.code === "RATE_LIMITED" ? 429 : 401, done.message);
    const next = await afterFirstFactor(f.secondFactor, done.userId, "oidc", originOf(req, d.now()));
    if (next.kind === "second_factor") {
      const ticket = `${SECOND_FACTOR_COOKIE}=${next.ticket}; Path=/api/auth/second-factor; Max-Age=${SECOND_FACTOR_TICKET_MS / 1000}; HttpOnly; Secure; SameSite=Strict`;
      return redirect(`${home}?second-factor=${next.setupRequired ? "setup" : next.methods.join(",")}`, [clear, ticket]);
    }
    const signedIn = await d.sessions.completeSignIn({ userId: done.userId, method: "oidc", factors: [], request: requestInfo(req) });
    const withCookie = signedInResponse(signedIn, d.now(), [clear]);
    // The app reads its access token with the refresh cookie (`POST /api/auth/refresh`): no token in the URL.
    return {
      status: 303,
      headers: { location: home, "set-cookie": withCookie.headers!["set-cookie"]!, "cache-control": "no-store" },
      body: "",
    };
  });
}

const clearCookie = (name: string, path: string) => `${name}=; Path=${path}; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;

function redirect(location: string, cookies: string[]): HttpResponse {
  return { status: 303, headers: { location, "set-cookie": cookies.join("\n"), "cache-control": "no-store" }, body: "" };
}

/** A refusal a person reads in the browser (the OIDC routes are navigations, not API calls). */
function page(status: number, message: string): HttpResponse {
  const text = message.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    body: `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Sign-in</title><main><h1>Sign-in didn't work</h1><p role="alert">${text}</p><p><a href="/">Back to sign-in</a></p></main>`,
  };
}
