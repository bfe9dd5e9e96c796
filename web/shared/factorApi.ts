/**
 * The browser's side of the sign-in factors (both apps): passkey sign-in and registration through
 * `@simplewebauthn/browser`, the staff second factor, and the signed-in person's own factors. Sign-in answers carry
 * the access token in the body; the refresh token stays in the HttpOnly cookie the server sets.
 */
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";

/** What a completed sign-in answers. */
export interface SignedInBody {
  userId: string;
  sessionId: string;
  accessToken: string;
  accessExpiresAt: number;
}

/** A first factor passed, a second one is needed (staff of a gym that requires it). */
export interface SecondFactorNeeded {
  secondFactor: { ticket: string; methods: ("totp" | "passkey")[]; setupRequired: boolean };
}

export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  backedUp: boolean;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; code: string; message: string; fields?: Record<string, string> };

/** This browser has registered a passkey here before (a hint for showing the button, not a secret). */
const REGISTERED = "spotter.passkey.registered";
let accessToken: (() => string) | null = null;

/** The app tells the factor screens where its current access token is (the session object renewed in place). */
export function setFactorAccessToken(token: (() => string) | null): void {
  accessToken = token;
}

/** The `Authorization` header for Spotter's HTTP API with the current access token (none before sign-in). */
export function bearerHeader(): Record<string, string> {
  return accessToken ? { authorization: `Bearer ${accessToken()}` } : {};
}

/** Why passkeys cannot work here, in words; null when they can. */
export function passkeyProblem(): string | null {
  if (!window.isSecureContext) return "Passkeys need a secure connection — open Spotter over HTTPS (or on localhost).";
  if (!browserSupportsWebAuthn()) return "This browser can't use passkeys — sign in with an email link.";
  return null;
}

export const passkeyRegisteredHere = (): boolean => localStorage.getItem(REGISTERED) === "1";

/** A JSON call to Spotter's HTTP API with the app's header (and the access token when `bearer`), as an answer in words. */
export async function call<T>(method: "GET" | "POST", path: string, body?: unknown, bearer = false): Promise<Answer<T>> {
  try {
    const res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: {
        "content-type": "application/json",
        "x-spotter": "1",
        ...(bearer ? bearerHeader() : {}),
      },
      ...(method === "POST" ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; fields?: Record<string, string> } };
    if (res.ok) return { ok: true, value: json as T };
    const fields = json.error?.fields;
    return {
      ok: false,
      code: json.error?.code ?? "UNAVAILABLE",
      message: json.error?.message ?? "Something went wrong — try again.",
      ...(fields ? { fields } : {}),
    };
  } catch {
    return { ok: false, code: "UNAVAILABLE", message: "Can't reach Spotter — check your connection and try again." };
  }
}

/** The device's "Face ID / fingerprint" prompt, as an answer: a cancelled prompt is a refusal in words. */
async function ceremony<T>(run: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    const name = (err as { name?: string }).name;
    return {
      ok: false,
      code: "CANCELLED",
      message:
        name === "NotAllowedError"
          ? "The passkey prompt was closed — try again when you're ready."
          : "Your device couldn't use a passkey here — sign in with an email link.",
    };
  }
}

/** Signs in with any passkey of this site (no email typed). */
export async function signInWithPasskey(): Promise<Answer<SignedInBody | SecondFactorNeeded>> {
  const opts = await call<{ challengeId: string; options: never }>("POST", "/api/auth/passkey/options");
  if (!opts.ok) return opts;
  const answer = await ceremony(() => startAuthentication({ optionsJSON: opts.value.options }));
  if (!answer.ok) return answer;
  return call("POST", "/api/auth/passkey/verify", { challengeId: opts.value.challengeId, response: answer.value });
}

/** Registers a passkey for the signed-in person. */
export async function addPasskey(name: string): Promise<Answer<{ passkey: PasskeyInfo }>> {
  const opts = await call<{ challengeId: string; options: never }>("POST", "/api/auth/passkeys/options", {}, true);
  if (!opts.ok) return opts;
  const answer = await ceremony(() => startRegistration({ optionsJSON: opts.value.options }));
  if (!answer.ok) return answer;
  const added = await call<{ passkey: PasskeyInfo }>(
    "POST",
    "/api/auth/passkeys",
    { challengeId: opts.value.challengeId, response: answer.value, name },
    true,
  );
  if (added.ok) localStorage.setItem(REGISTERED, "1");
  return added;
}

export const listFactors = () =>
  call<{ passkeys: PasskeyInfo[]; totp: boolean; password: boolean }>("GET", "/api/auth/factors", undefined, true);
export const removePasskey = (id: string) => call<object>("POST", "/api/auth/passkeys/remove", { id }, true);

/**
 * The staff second factor: a code, setting up an authenticator app, or the person's own passkey. An empty ticket is
 * left out: after single sign-on the ticket is in an HttpOnly cookie the server reads instead.
 */
const t = (ticket: string) => (ticket ? { ticket } : {});
export const secondFactorCode = (ticket: string, code: string) =>
  call<SignedInBody>("POST", "/api/auth/second-factor/totp", { ...t(ticket), code });
export const secondFactorSetup = (ticket: string) =>
  call<{ secret: string; uri: string }>("POST", "/api/auth/second-factor/setup", t(ticket));
export const secondFactorSetupConfirm = (ticket: string, code: string) =>
  call<SignedInBody>("POST", "/api/auth/second-factor/setup/confirm", { ...t(ticket), code });
export async function secondFactorPasskey(ticket: string): Promise<Answer<SignedInBody>> {
  const opts = await call<{ challengeId: string; options: never }>("POST", "/api/auth/second-factor/passkey/options", t(ticket));
  if (!opts.ok) return opts;
  const answer = await ceremony(() => startAuthentication({ optionsJSON: opts.value.options }));
  if (!answer.ok) return answer;
  return call("POST", "/api/auth/second-factor/passkey", { ...t(ticket), challengeId: opts.value.challengeId, response: answer.value });
}

/** What a gym's sign-in screen offers; `gymId` is set when the server picked the install's only gym. */
export interface SignInOptions {
  gymId?: string | null;
  passwords: boolean;
  staffSecondFactor: boolean;
  /** Members may sign themselves up (an emailed link of their own). */
  selfSignUp?: boolean;
  singleSignOn: { name: string } | null;
}

/** The sign-in options of the gym in the address (`?gym=<id>`), else of the install's only gym. */
export async function signInOptions(): Promise<{ gymId: string; options: SignInOptions } | null> {
  const gym = new URLSearchParams(location.search).get("gym");
  const answer = await call<SignInOptions>("GET", `/api/auth/sign-in-options${gym ? `?gym=${encodeURIComponent(gym)}` : ""}`);
  const gymId = gym ?? (answer.ok ? answer.value.gymId : null);
  return answer.ok && gymId ? { gymId, options: answer.value } : null;
}

/** Signs in with email and password at a gym that allows passwords (staff may be asked for a second step). */
export const signInWithPassword = (gymId: string, email: string, password: string) =>
  call<SignedInBody | SecondFactorNeeded>("POST", "/api/auth/password", { gymId, email, password });

/**
 * The second step after single sign-on: the server redirected back with `?second-factor=setup|totp,passkey` (the
 * ticket stays in its cookie). Read once and removed from the address bar.
 */
export function secondFactorFromAddress(): SecondFactorNeeded["secondFactor"] | null {
  const params = new URLSearchParams(location.search);
  const value = params.get("second-factor");
  if (value === null) return null;
  params.delete("second-factor");
  const rest = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${rest ? `?${rest}` : ""}${location.hash}`);
  const methods = value.split(",").filter((m): m is "totp" | "passkey" => m === "totp" || m === "passkey");
  return { ticket: "", methods, setupRequired: value === "setup" };
}
