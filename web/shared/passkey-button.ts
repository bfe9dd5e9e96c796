import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { passkeyProblem, passkeyRegisteredHere, signInWithPasskey, type SecondFactorNeeded, type SignedInBody } from "./factorApi.js";

/**
 * "Sign in with a passkey": shown when this browser registered one here (or `always`); says in words when passkeys
 * cannot work (no HTTPS, old browser). Fires `passkey-signed-in` with the session, or `second-factor` for staff.
 */
@customElement("passkey-button")
export class PasskeyButton extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 32rem;
      margin: 1rem auto;
      padding: 0 1rem;
    }
    button {
      min-height: 2.75rem;
      width: 100%;
      border-radius: 0.6rem;
      border: 2px solid var(--accent, #127a52);
      background: #fff;
      color: var(--accent, #127a52);
      font: inherit;
      font-weight: 600;
    }
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    .error {
      color: var(--danger, #b42318);
      font-weight: 600;
    }
    .hint {
      color: var(--muted, #5b6470);
      font-size: 0.9rem;
    }
  `;

  /** Show the button even when this browser has no record of a passkey (e.g. a synced one). */
  @property({ type: Boolean }) always = false;
  @state() private _busy = false;
  @state() private _error = "";

  override render() {
    if (!this.always && !passkeyRegisteredHere()) return html``;
    const problem = passkeyProblem();
    if (problem) return html`<p class="hint">${problem}</p>`;
    return html`<button type="button" ?disabled=${this._busy} @click=${this._onClick}>${this._busy ? "Waiting for your passkey…" : "Sign in with a passkey"}</button>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ""}`;
  }

  private async _onClick() {
    this._busy = true;
    this._error = "";
    const answer = await signInWithPasskey();
    this._busy = false;
    if (!answer.ok) {
      this._error = answer.message;
      return;
    }
    const value = answer.value;
    if ("secondFactor" in value)
      this.dispatchEvent(new CustomEvent<SecondFactorNeeded>("second-factor", { detail: value, bubbles: true, composed: true }));
    else this.dispatchEvent(new CustomEvent<SignedInBody>("passkey-signed-in", { detail: value, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "passkey-button": PasskeyButton;
  }
  interface HTMLElementEventMap {
    "passkey-signed-in": CustomEvent<SignedInBody>;
    "second-factor": CustomEvent<SecondFactorNeeded>;
  }
}
