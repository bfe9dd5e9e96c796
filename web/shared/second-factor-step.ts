import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { totpQr } from "./totp-qr.js";
import {
  secondFactorCode,
  secondFactorPasskey,
  secondFactorSetup,
  secondFactorSetupConfirm,
  type Answer,
  type SecondFactorNeeded,
  type SignedInBody,
} from "./factorApi.js";

/**
 * The staff second step when the gym requires it: the code from the authenticator app, the person's own passkey, or —
 * with none set up yet — setting up an authenticator app (QR code + key) and confirming its first code.
 * Fires `signed-in` with the session.
 */
@customElement("second-factor-step")
export class SecondFactorStep extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    label {
      display: block;
      font-weight: 600;
      margin: 0.75rem 0 0.25rem;
    }
    input {
      font: inherit;
      font-size: 1.4rem;
      letter-spacing: 0.2em;
      width: 9rem;
      padding: 0.4rem;
      border-radius: 0.5rem;
      border: 1px solid #c4cad2;
    }
    button {
      display: block;
      margin-top: 0.75rem;
      min-height: 2.75rem;
      padding: 0 1.25rem;
      border-radius: 0.6rem;
      border: none;
      background: var(--accent, #127a52);
      color: #fff;
      font: inherit;
      font-weight: 600;
    }
    button.secondary {
      background: #fff;
      color: var(--accent, #127a52);
      border: 2px solid var(--accent, #127a52);
    }
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    .error {
      color: var(--danger, #b42318);
      font-weight: 600;
    }
    code {
      word-break: break-all;
    }
  `;

  @property({ attribute: false }) step: SecondFactorNeeded["secondFactor"] | null = null;
  @state() private _setup: { secret: string; uri: string } | null = null;
  @state() private _error = "";
  @state() private _busy = false;

  override render() {
    const s = this.step;
    if (!s) return nothing;
    const alert = this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing;
    if (s.setupRequired && !this._setup)
      return html`<h2>One more step for staff</h2>
        <p>Your gym asks staff for a second step at sign-in. Set up an authenticator app (Google Authenticator, 1Password, Authy …) once; after that it shows a new 6-digit code every 30 seconds.</p>
        ${alert}<button type="button" ?disabled=${this._busy} @click=${this._onSetup}>Set up an authenticator app</button>`;
    if (this._setup) {
      return html`<h2>Scan this with your authenticator app</h2>
        ${totpQr(this._setup.uri)}
        <p>Or type this key: <code data-testid="totp-key">${this._setup.secret}</code></p>
        <form @submit=${this._onConfirm}>
          <label for="code">The 6-digit code your app shows</label>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required />
          ${alert}<button type="submit" ?disabled=${this._busy}>Confirm and sign in</button>
        </form>`;
    }
    return html`<h2>One more step</h2>
      ${
        s.methods.includes("totp")
          ? html`<form @submit=${this._onCode}>
            <label for="code">6-digit code from your authenticator app</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required />
            <button type="submit" ?disabled=${this._busy}>Sign in</button>
          </form>`
          : nothing
      }
      ${s.methods.includes("passkey") ? html`<button type="button" class="secondary" ?disabled=${this._busy} @click=${this._onPasskey}>Use my passkey</button>` : nothing}
      ${alert}`;
  }

  private _code(e: Event): string {
    e.preventDefault();
    return String(new FormData(e.target as HTMLFormElement).get("code") ?? "").trim();
  }

  private async _run<T>(call: () => Promise<Answer<T>>, then: (value: T) => void): Promise<void> {
    this._busy = true;
    const answer = await call();
    this._busy = false;
    if (!answer.ok) {
      this._error = answer.code === "CHALLENGE_EXPIRED" ? `${answer.message} (go back and ask for a new sign-in link)` : answer.message;
      return;
    }
    this._error = "";
    then(answer.value);
  }

  private _signedIn = (session: SignedInBody) =>
    this.dispatchEvent(new CustomEvent<SignedInBody>("signed-in", { detail: session, bubbles: true, composed: true }));

  private _onSetup = () =>
    void this._run(
      () => secondFactorSetup(this.step!.ticket),
      (v) => (this._setup = v),
    );
  private _onConfirm = (e: Event) => {
    const code = this._code(e);
    void this._run(() => secondFactorSetupConfirm(this.step!.ticket, code), this._signedIn);
  };
  private _onCode = (e: Event) => {
    const code = this._code(e);
    void this._run(() => secondFactorCode(this.step!.ticket, code), this._signedIn);
  };
  private _onPasskey = () => void this._run(() => secondFactorPasskey(this.step!.ticket), this._signedIn);
}

declare global {
  interface HTMLElementTagNameMap {
    "second-factor-step": SecondFactorStep;
  }
}
