import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import "./member-shell.js";
import { openClient, type MemberClient } from "./openClient.js";
import "../../web/shared/email-sign-in.js";
import { authPost, resume, scriptSession, signOut, takeFromHash, type SessionInfo } from "../../web/shared/authClient.js";
import "../../web/shared/passkey-button.js";
import { setFactorAccessToken } from "../../web/shared/factorApi.js";

/**
 * The member app's root: the sign-in screen without a session, the live app with one. On load it takes a sign-in
 * link (`#signin=`), an invitation (`#invite=`) or a script's token (`#token=`, memory only) from the address bar,
 * else resumes the session from the refresh cookie.
 */
@customElement("member-app")
export class MemberApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  @state() private _session: { userId: string; live: MemberClient } | null = null;
  @state() private _reason = "";
  @state() private _invite: string | null = null;
  @state() private _ready = false;

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener("member-sign-out", this._onSignOut);
    window.addEventListener("hashchange", this._onHash);
    void this._boot();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener("member-sign-out", this._onSignOut);
    window.removeEventListener("hashchange", this._onHash);
    this._session?.live.close();
    this._session = null;
  }

  override render() {
    const s = this._session;
    if (!s)
      return this._ready
        ? html`<email-sign-in app="member" .reason=${this._reason} .inviteToken=${this._invite} @signed-in=${this._onSignedIn}></email-sign-in>
            <passkey-button @passkey-signed-in=${this._onSignedIn}></passkey-button>`
        : html`<p role="status">Signing you in…</p>`;
    // A new sign-in gets a fresh shell: its controllers hold the client they were made with.
    return keyed(s.live, html`<member-shell .client=${s.live.client} .listen=${s.live.listen} .userId=${s.userId}></member-shell>`);
  }

  private async _boot() {
    const token = takeFromHash("token");
    const link = takeFromHash("signin");
    this._invite = takeFromHash("invite");
    const scripted = token ? scriptSession(token) : null;
    if (scripted) this._start(scripted);
    else if (token) this._reason = "That sign-in link is broken — ask for a new one.";
    else if (link) {
      const answer = await authPost<SessionInfo>("/api/auth/email/verify", { link });
      if (answer.ok) this._start(answer.value);
      else this._reason = answer.message;
    } else if (!this._invite) {
      const answer = await resume();
      if (answer.ok) this._start(answer.value);
    }
    this._ready = true;
  }

  private _start(session: SessionInfo) {
    this._session?.live.close();
    this._session = { userId: session.userId, live: openClient(session, (reason) => this._stop(reason)) };
    // The factor screens (profile passkeys) use the same, renewed-in-place access token.
    setFactorAccessToken(() => session.accessToken);
    this._reason = "";
    this._invite = null;
  }

  /** Ends the session and shows the sign-in screen with `reason`. */
  private _stop(reason: string) {
    this._session?.live.close();
    this._session = null;
    setFactorAccessToken(null);
    this._reason = reason;
  }

  /** A sign-in link or invitation opened in a tab already showing the app. */
  private _onHash = () => {
    if (/(?:^#|&)(signin|invite|token)=/.test(location.hash)) void this._boot();
  };

  private _onSignedIn = (e: CustomEvent<SessionInfo>) => this._start(e.detail);

  private _onSignOut = () => {
    void signOut().finally(() => this._stop("You signed out."));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "member-app": MemberApp;
  }
}
