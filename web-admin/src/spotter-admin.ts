import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import "./admin-shell.js";
import "./sign-in-screen.js";
import { forgetToken, takeToken } from "./token.js";

/** The staff app's root: a sign-in screen without a token, else the signed-in shell. */
@customElement("spotter-admin")
export class SpotterAdmin extends LitElement {
  @state() private _token: string | null = takeToken();
  @state() private _problem = "";

  override render() {
    return this._token
      ? html`<admin-shell .token=${this._token} @signed-out=${this._onSignedOut}></admin-shell>`
      : html`<sign-in-screen .problem=${this._problem} @signed-in=${this._onSignedIn}></sign-in-screen>`;
  }

  private _onSignedIn(e: CustomEvent<string>): void {
    this._problem = "";
    this._token = e.detail;
  }

  private _onSignedOut(e: CustomEvent<string>): void {
    forgetToken();
    this._problem = e.detail;
    this._token = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spotter-admin": SpotterAdmin;
  }
}
