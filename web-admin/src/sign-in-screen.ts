import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { shared } from "./styles.js";
import { saveToken } from "./token.js";

/** Shown without a token (or after the server refused it): paste a staff token to sign in. */
@customElement("sign-in-screen")
export class SignInScreen extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100vh;
        padding: 1rem;
      }
      .card {
        width: min(32rem, 100%);
        display: grid;
        gap: 1rem;
      }
      textarea {
        min-height: 6rem;
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
      }
      code {
        background: #eef1f5;
        padding: 0.1rem 0.3rem;
        border-radius: 0.25rem;
      }
      .error {
        color: #9b1c1c;
      }
    `,
  ];

  /** Why the last token did not work, if it did not. */
  @property() problem = "";
  @state() private _token = "";

  override render() {
    return html`<form class="card" @submit=${this._onSubmit}>
      <h1>Spotter staff sign-in</h1>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ""}
      <label
        >Staff token
        <textarea name="token" required autocomplete="off" spellcheck="false" .value=${this._token} @input=${this._onInput}></textarea>
      </label>
      <p class="muted">Get one with <code>npm run token -- --user owner@demo.spotter.gym</code>, or open the link the server prints.</p>
      <div class="row"><button class="primary" type="submit" ?disabled=${this._token.trim() === ""}>Sign in</button></div>
    </form>`;
  }

  private _onInput(e: Event): void {
    this._token = (e.target as HTMLTextAreaElement).value;
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    const token = this._token.trim().replace(/^.*#token=/, "");
    if (!token) return;
    saveToken(token);
    this.dispatchEvent(new CustomEvent("signed-in", { detail: token, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sign-in-screen": SignInScreen;
  }
}
