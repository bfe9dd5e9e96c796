import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import "./member-shell.js";
import { openClient, type MemberClient } from "./openClient.js";
import "./member-sign-in.js";
import { clearToken, saveToken, takeToken, tokenSubject } from "./token.js";

/** The member app's root: the sign-in screen without a token, the live app with one. */
@customElement("member-app")
export class MemberApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  @state() private _session: { userId: string; live: MemberClient } | null = null;
  @state() private _reason = "";

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener("member-token", this._onSignIn);
    this.addEventListener("member-sign-out", this._onSignOut);
    const token = takeToken();
    if (token) this._start(token);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener("member-token", this._onSignIn);
    this.removeEventListener("member-sign-out", this._onSignOut);
    this._session?.live.close();
    this._session = null;
  }

  override render() {
    const s = this._session;
    if (!s) return html`<member-sign-in .reason=${this._reason}></member-sign-in>`;
    // A new sign-in gets a fresh shell: its controllers hold the client they were made with.
    return keyed(s.live, html`<member-shell .client=${s.live.client} .listen=${s.live.listen} .userId=${s.userId}></member-shell>`);
  }

  private _start(token: string) {
    const userId = tokenSubject(token);
    if (!userId) return this._stop("That sign-in link is broken — ask for a new one.");
    this._session?.live.close();
    this._session = { userId, live: openClient(token, (reason) => this._stop(reason)) };
    this._reason = "";
  }

  /** Ends the session and shows the sign-in screen with `reason`. */
  private _stop(reason: string) {
    this._session?.live.close();
    this._session = null;
    clearToken();
    this._reason = reason;
  }

  private _onSignIn = (e: CustomEvent<string>) => {
    saveToken(e.detail);
    this._start(e.detail);
  };

  private _onSignOut = () => this._stop("");
}

declare global {
  interface HTMLElementTagNameMap {
    "member-app": MemberApp;
  }
}
