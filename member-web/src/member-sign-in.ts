import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { tokenSubject } from "./token.js";

/** Shown without a token: paste one (printed by the server or `npm run token`). */
@customElement("member-sign-in")
export class MemberSignIn extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 32rem;
      margin: 2rem auto;
      padding: 0 1rem;
    }
    textarea {
      width: 100%;
      box-sizing: border-box;
      min-height: 7rem;
      font: 0.85rem ui-monospace, monospace;
      border-radius: 0.5rem;
      border: 1px solid #c4cad2;
      padding: 0.5rem;
    }
    button {
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
    textarea:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    code {
      background: #e9edf1;
      padding: 0.1rem 0.3rem;
      border-radius: 0.3rem;
      word-break: break-all;
    }
    .error {
      color: var(--danger, #b42318);
      font-weight: 600;
    }
  `;

  /** Why the member was signed out, if they were. */
  @property() reason = "";
  @state() private _invalid = false;

  override render() {
    return html`<h1>Sign in to Spotter</h1>
      ${this.reason ? html`<p class="error" role="alert">${this.reason}</p>` : ""}
      <p>Open the member link your gym sent you, or paste your sign-in token here.</p>
      <form @submit=${this._onSubmit}>
        <label for="token">Sign-in token</label>
        <textarea id="token" name="token" required autocomplete="off" spellcheck="false" aria-describedby="token-help"></textarea>
        ${this._invalid ? html`<p class="error" role="alert">That doesn't look like a sign-in token — copy the whole line.</p>` : ""}
        <button type="submit">Sign in</button>
      </form>
      <p id="token-help">
        Running Spotter yourself? The server prints a member link at start-up, or run
        <code>npm run token -- --user member1@demo.spotter.gym</code>.
      </p>`;
  }

  private _onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const raw = new FormData(e.target as HTMLFormElement).get("token");
    const token = String(raw ?? "")
      .trim()
      .replace(/^.*#token=/, "");
    if (!tokenSubject(token)) {
      this._invalid = true;
      return;
    }
    this.dispatchEvent(new CustomEvent<string>("member-token", { detail: token, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-sign-in": MemberSignIn;
  }
  interface HTMLElementEventMap {
    "member-token": CustomEvent<string>;
    "member-sign-out": CustomEvent<void>;
  }
}
