import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import "./member-shell.js";
import "./sign-in-screen.js";
import { clearToken, saveToken, takeToken, tokenSubject } from "./token.js";

/** The member app's root: the sign-in screen without a token, the live app with one. */
@customElement("member-app")
export class MemberApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  @state() private _token: string | null = takeToken();
  @state() private _reason = "";

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener("member-sign-in", this._onSignIn);
    this.addEventListener("member-sign-out", this._onSignOut);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener("member-sign-in", this._onSignIn);
    this.removeEventListener("member-sign-out", this._onSignOut);
  }

  override render() {
    const userId = this._token ? tokenSubject(this._token) : null;
    if (!this._token || !userId) return html`<sign-in-screen .reason=${this._reason}></sign-in-screen>`;
    // Keyed on the token: signing in as someone else starts a fresh connection.
    return html`<member-shell .token=${this._token} .userId=${userId} @member-denied=${this._onDenied}></member-shell>`;
  }

  private _onSignIn = (e: CustomEvent<string>) => {
    saveToken(e.detail);
    this._reason = "";
    this._token = e.detail;
  };

  private _onSignOut = () => {
    clearToken();
    this._reason = "";
    this._token = null;
  };

  private _onDenied(e: CustomEvent<string>) {
    clearToken();
    this._reason = e.detail;
    this._token = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-app": MemberApp;
  }
  interface HTMLElementEventMap {
    "member-denied": CustomEvent<string>;
  }
}
