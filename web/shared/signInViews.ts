import { html, nothing, type TemplateResult } from "lit";
import type { SignInOptions } from "./factorApi.js";

/**
 * The forms of <email-sign-in> (email-sign-in.ts), one per step: the email link flow (address, then the code), the
 * password form, sign-up, an invitation, and the other ways in (password, sign-up, the single sign-on button).
 * The element holds the state and the requests; these draw it. Handlers run with the element as `this` (Lit's host).
 */

/** What every step shows: the heading, the refusal (if any), the address typed so far, and whether a request is out. */
export interface StepView {
  heading: string;
  alert: TemplateResult | typeof nothing;
  email: string;
  busy: boolean;
}

type Submit = (e: Event) => void;

export function inviteStep(v: StepView, invite: { gymName: string; role: string; email: string }, onAccept: Submit) {
  return html`<h1>Join ${invite.gymName}</h1>
        ${v.alert}
        <p>You're invited as ${invite.role === "member" ? "a member" : invite.role.replace("_", " ")} with ${invite.email}.</p>
        <form @submit=${onAccept}>
          <label>Your name <input name="name" autocomplete="name" required maxlength="200" /></label>
          <button type="submit" ?disabled=${v.busy}>Accept and sign in</button>
        </form>`;
}

export function codeStep(v: StepView, note: string, onCode: Submit, onRestart: () => void) {
  return html`<h1>${v.heading}</h1>
        ${v.alert}
        <p class="note" role="status">${note}</p>
        <form @submit=${onCode}>
          <label>6-digit code from the mail
            <input class="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required />
          </label>
          <button type="submit" ?disabled=${v.busy}>Sign in</button>
          <button type="button" class="link" @click=${onRestart}>Use another email address or send a new code</button>
        </form>`;
}

export function signUpStep(v: StepView, onSignUp: Submit, onRestart: () => void) {
  return html`<h1>Join the gym</h1>
        ${v.alert}
        <form @submit=${onSignUp}>
          <label>Email address <input name="email" type="email" autocomplete="email" required maxlength="320" .value=${v.email} /></label>
          <label class="consent"><input type="checkbox" name="acceptPolicies" required /> <span>I accept the gym's terms and privacy policy</span></label>
          <button type="submit" ?disabled=${v.busy}>Email me a link to join</button>
          <button type="button" class="link" @click=${onRestart}>I already have an account</button>
        </form>
        <p class="note">We'll send a link to confirm your address; you choose your name when you open it.</p>`;
}

export function passwordStep(v: StepView, onPassword: Submit, onRestart: () => void) {
  return html`<h1>${v.heading}</h1>
        ${v.alert}
        <form @submit=${onPassword}>
          <label>Email address <input name="email" type="email" autocomplete="username" required maxlength="320" .value=${v.email} /></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="1024" /></label>
          <button type="submit" ?disabled=${v.busy}>Sign in</button>
          <button type="button" class="link" @click=${onRestart}>Email me a sign-in link instead</button>
        </form>`;
}

/** The first step: the address for a link and a code, then the other ways in the gym allows. */
export function emailStep(v: StepView, onEmail: Submit, otherWays: TemplateResult | typeof nothing) {
  return html`<h1>${v.heading}</h1>
      ${v.alert}
      <form @submit=${onEmail}>
        <label>Email address <input name="email" type="email" autocomplete="email" required maxlength="320" .value=${v.email} /></label>
        <button type="submit" ?disabled=${v.busy}>Email me a sign-in link</button>
      </form>
      <p class="note">We'll send a link and a 6-digit code. No password needed.</p>
      ${otherWays}`;
}

/** Password, sign-up (members only) and single sign-on, as far as the gym allows them; nothing when none. */
export function otherWays(
  gym: { gymId: string; options: SignInOptions } | null,
  app: "member" | "staff",
  on: { usePassword: () => void; useSignUp: () => void },
) {
  const sso = gym?.options.singleSignOn;
  return gym && (gym.options.passwords || sso || (gym.options.selfSignUp && app === "member"))
    ? html`<div class="or">
            ${gym.options.passwords ? html`<button type="button" class="link" @click=${on.usePassword}>Sign in with a password</button>` : nothing}
            ${gym.options.selfSignUp && app === "member" ? html`<button type="button" class="link" @click=${on.useSignUp}>New here? Join the gym</button>` : nothing}
            ${
              sso
                ? html`<a class="button" href=${`/api/auth/oidc/start?gym=${encodeURIComponent(gym.gymId)}&app=${app === "staff" ? "admin" : "member"}`}>Sign in with ${sso.name}</a>`
                : nothing
            }
          </div>`
    : nothing;
}
