import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { authPost, type SessionInfo } from "./authClient.js";
import { secondFactorFromAddress, signInOptions, signInWithPassword, type SecondFactorNeeded, type SignInOptions } from "./factorApi.js";
import "./second-factor-step.js";
import { signInStyles } from "./signInStyles.js";
import { codeStep, emailStep, inviteStep, otherWays, passwordStep, signUpStep, type StepView } from "./signInViews.js";

/**
 * Sign-in by email (both apps): address → "check your inbox" → the 6-digit code (or the mail's link). Where the gym
 * allows it, a password instead, and its single sign-on button. With an invitation token it shows the invitation
 * instead (gym, role) and asks for a name. Every refusal is shown in the server's words. Fires `signed-in` with the
 * session.
 *
 * This file holds the flow (steps, requests, the `signed-in` event); the forms are in signInViews.ts, the look in signInStyles.ts.
 */
@customElement("email-sign-in")
export class EmailSignIn extends LitElement {
  static override styles = signInStyles;

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
    const v: StepView = { heading: this.heading, alert, email: this._email, busy: this._busy };
    if (this._step === "invite" && this._invite) return inviteStep(v, this._invite, this._onAccept);
    if (this._step === "code") return codeStep(v, this._note, this._onCode, this._onRestart);
    const gym = this._gym;
    if (this._step === "signup-sent") return html`<h1>Check your inbox</h1><p class="note" role="status">${this._note}</p>`;
    if (this._step === "signup" && gym) return signUpStep(v, this._onSignUp, this._onRestart);
    if (this._step === "password" && gym) return passwordStep(v, this._onPassword, this._onRestart);
    const others = otherWays(gym, this.app, { usePassword: this._onUsePassword, useSignUp: this._onUseSignUp });
    return emailStep(v, this._onEmail, others);
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
