import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { authPost, type SessionInfo } from "./authClient.js";
import { secondFactorFromAddress, signInOptions, signInWithPassword, type SecondFactorNeeded, type SignInOptions } from "./factorApi.js";
import "./second-factor-step.js";

/**
 * Sign-in by email (both apps): address → "check your inbox" → the 6-digit code (or the mail's link). Where the gym
 * allows it, a password instead, and its single sign-on button. With an invitation token it shows the invitation
 * instead (gym, role) and asks for a name. Every refusal is shown in the server's words. Fires `signed-in` with the
 * session.
 */
@customElement("email-sign-in")
export class EmailSignIn extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 26rem;
      margin: 2rem auto;
      padding: 0 1rem;
      font: inherit;
    }
    form {
      display: grid;
      gap: 0.75rem;
    }
    label {
      display: grid;
      gap: 0.3rem;
      font-weight: 600;
    }
    input {
      font: inherit;
      min-height: 2.75rem;
      padding: 0 0.75rem;
      border-radius: 0.5rem;
      border: 1px solid #98a2b3;
    }
    input.code {
      font-size: 1.6rem;
      letter-spacing: 0.4rem;
      text-align: center;
    }
    button {
      min-height: 2.75rem;
      padding: 0 1.25rem;
      border-radius: 0.6rem;
      border: none;
      background: var(--accent, #1d4ed8);
      color: #fff;
      font: inherit;
      font-weight: 600;
    }
    label.consent {
      display: flex;
      gap: 0.5rem;
      align-items: flex-start;
      font-weight: 400;
    }
    label.consent input {
      min-height: auto;
      width: 1.25rem;
      height: 1.25rem;
      margin-top: 0.15rem;
    }
    .or {
      display: grid;
      gap: 0.5rem;
      margin-top: 1rem;
    }
    a.button {
      display: flex;
      align-items: center;
      justify-content: center;
      min-height: 2.75rem;
      border-radius: 0.6rem;
      border: 2px solid var(--accent, #1d4ed8);
      color: var(--accent, #1d4ed8);
      font-weight: 600;
      text-decoration: none;
    }
    a.button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    button.link {
      background: none;
      color: var(--accent, #1d4ed8);
      text-decoration: underline;
      padding: 0;
      min-height: 2rem;
    }
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    .error {
      color: #b42318;
      font-weight: 600;
    }
    .note {
      color: #475467;
    }
  `;

  @property() app: "member" | "staff" = "member";
  /** Why the person is asked to sign in (signed out elsewhere, expired…). */
  @property() reason = "";
  /** A heading above the form. */
  @property() heading = "Sign in to Spotter";
  /** An invitation link's token: shows the invitation instead of the email form. */
  @property({ attribute: false }) inviteToken: string | null = null;

  @state() private _step: "email" | "code" | "invite" | "password" | "signup" | "signup-sent" = "email";
  /** The gym's options (passwords, single sign-on); null until known or for an install with many gyms and no `?gym=`. */
  @state() private _gym: { gymId: string; options: SignInOptions } | null = null;
  /** Staff whose gym requires a second factor: the step after the link or code (also set by the app for a link). */
  @property({ attribute: false }) secondFactor: SecondFactorNeeded["secondFactor"] | null = null;
  @state() private _email = "";
  @state() private _note = "";
  @state() private _error = "";
  @state() private _busy = false;
  @state() private _invite: { gymName: string; role: string; email: string } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.secondFactor ??= secondFactorFromAddress();
    void signInOptions().then((gym) => (this._gym = gym));
  }

  /** An invitation given at start or later (a link opened in a tab already showing the sign-in screen). */
  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("inviteToken") && this.inviteToken) void this._loadInvite(this.inviteToken);
  }

  override render() {
    const error = this._error || this.reason;
    const alert = error ? html`<p class="error" role="alert">${error}</p>` : nothing;
    if (this.secondFactor) return html`<h1>${this.heading}</h1><second-factor-step .step=${this.secondFactor}></second-factor-step>`;
    if (this._step === "invite" && this._invite)
      return html`<h1>Join ${this._invite.gymName}</h1>
        ${alert}
        <p>You're invited as ${this._invite.role === "member" ? "a member" : this._invite.role.replace("_", " ")} with ${this._invite.email}.</p>
        <form @submit=${this._onAccept}>
          <label>Your name <input name="name" autocomplete="name" required maxlength="200" /></label>
          <button type="submit" ?disabled=${this._busy}>Accept and sign in</button>
        </form>`;
    if (this._step === "code")
      return html`<h1>${this.heading}</h1>
        ${alert}
        <p class="note" role="status">${this._note}</p>
        <form @submit=${this._onCode}>
          <label>6-digit code from the mail
            <input class="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required />
          </label>
          <button type="submit" ?disabled=${this._busy}>Sign in</button>
          <button type="button" class="link" @click=${this._onRestart}>Use another email address or send a new code</button>
        </form>`;
    const gym = this._gym;
    if (this._step === "signup-sent") return html`<h1>Check your inbox</h1><p class="note" role="status">${this._note}</p>`;
    if (this._step === "signup" && gym)
      return html`<h1>Join the gym</h1>
        ${alert}
        <form @submit=${this._onSignUp}>
          <label>Email address <input name="email" type="email" autocomplete="email" required maxlength="320" .value=${this._email} /></label>
          <label class="consent"><input type="checkbox" name="acceptPolicies" required /> <span>I accept the gym's terms and privacy policy</span></label>
          <button type="submit" ?disabled=${this._busy}>Email me a link to join</button>
          <button type="button" class="link" @click=${this._onRestart}>I already have an account</button>
        </form>
        <p class="note">We'll send a link to confirm your address; you choose your name when you open it.</p>`;
    if (this._step === "password" && gym)
      return html`<h1>${this.heading}</h1>
        ${alert}
        <form @submit=${this._onPassword}>
          <label>Email address <input name="email" type="email" autocomplete="username" required maxlength="320" .value=${this._email} /></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="1024" /></label>
          <button type="submit" ?disabled=${this._busy}>Sign in</button>
          <button type="button" class="link" @click=${this._onRestart}>Email me a sign-in link instead</button>
        </form>`;
    const sso = gym?.options.singleSignOn;
    return html`<h1>${this.heading}</h1>
      ${alert}
      <form @submit=${this._onEmail}>
        <label>Email address <input name="email" type="email" autocomplete="email" required maxlength="320" .value=${this._email} /></label>
        <button type="submit" ?disabled=${this._busy}>Email me a sign-in link</button>
      </form>
      <p class="note">We'll send a link and a 6-digit code. No password needed.</p>
      ${
        gym && (gym.options.passwords || sso || (gym.options.selfSignUp && this.app === "member"))
          ? html`<div class="or">
            ${gym.options.passwords ? html`<button type="button" class="link" @click=${this._onUsePassword}>Sign in with a password</button>` : nothing}
            ${gym.options.selfSignUp && this.app === "member" ? html`<button type="button" class="link" @click=${this._onUseSignUp}>New here? Join the gym</button>` : nothing}
            ${
              sso
                ? html`<a class="button" href=${`/api/auth/oidc/start?gym=${encodeURIComponent(gym.gymId)}&app=${this.app === "staff" ? "admin" : "member"}`}>Sign in with ${sso.name}</a>`
                : nothing
            }
          </div>`
          : nothing
      }`;
  }

  private _onUseSignUp(): void {
    this._error = "";
    this._step = "signup";
  }

  private async _onSignUp(e: Event): Promise<void> {
    e.preventDefault();
    this._email = this._field(e, "email");
    this._busy = true;
    const answer = await authPost<{ message: string }>("/api/auth/sign-up", {
      gymId: this._gym!.gymId,
      email: this._email,
      acceptPolicies: true,
    });
    this._busy = false;
    if (!answer.ok) return void (this._error = answer.message);
    this._error = "";
    this._note = answer.value.message;
    this._step = "signup-sent";
  }

  private _onUsePassword(): void {
    this._error = "";
    this._step = "password";
  }

  private async _onPassword(e: Event): Promise<void> {
    e.preventDefault();
    this._email = this._field(e, "email");
    const password = String(new FormData(e.target as HTMLFormElement).get("password") ?? "");
    this._busy = true;
    const answer = await signInWithPassword(this._gym!.gymId, this._email, password);
    this._busy = false;
    if (!answer.ok) return void (this._error = answer.message);
    if ("secondFactor" in answer.value) return void (this.secondFactor = answer.value.secondFactor);
    this._done(answer.value);
  }

  private _field(e: Event, name: string): string {
    return String(new FormData(e.target as HTMLFormElement).get(name) ?? "").trim();
  }

  private async _onEmail(e: Event): Promise<void> {
    e.preventDefault();
    this._email = this._field(e, "email");
    this._busy = true;
    const answer = await authPost<{ message: string }>("/api/auth/email/start", { email: this._email, app: this.app });
    this._busy = false;
    if (!answer.ok) return void (this._error = answer.message);
    this._error = "";
    this.reason = "";
    this._note = answer.value.message;
    this._step = "code";
  }

  private async _onCode(e: Event): Promise<void> {
    e.preventDefault();
    this._busy = true;
    const answer = await authPost<SessionInfo | SecondFactorNeeded>("/api/auth/email/verify", {
      email: this._email,
      code: this._field(e, "code"),
    });
    this._busy = false;
    if (!answer.ok) return void (this._error = answer.message);
    if ("secondFactor" in answer.value) return void (this.secondFactor = answer.value.secondFactor);
    this._done(answer.value);
  }

  private async _loadInvite(token: string): Promise<void> {
    const answer = await authPost<{ gymName: string; role: string; email: string }>("/api/auth/invitation", { token });
    if (!answer.ok) return void (this._error = answer.message);
    this._invite = answer.value;
    this._step = "invite";
  }

  private async _onAccept(e: Event): Promise<void> {
    e.preventDefault();
    this._busy = true;
    const answer = await authPost<SessionInfo | SecondFactorNeeded>("/api/auth/invitation/accept", {
      token: this.inviteToken,
      name: this._field(e, "name"),
    });
    this._busy = false;
    if (!answer.ok) return void (this._error = answer.message);
    if ("secondFactor" in answer.value) return void (this.secondFactor = answer.value.secondFactor);
    this._done(answer.value);
  }

  private _onRestart(): void {
    this._step = "email";
    this._error = "";
  }

  private _done(session: SessionInfo): void {
    this._error = "";
    this.dispatchEvent(new CustomEvent<SessionInfo>("signed-in", { detail: session, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "email-sign-in": EmailSignIn;
  }
  interface HTMLElementEventMap {
    "signed-in": CustomEvent<SessionInfo>;
  }
}
