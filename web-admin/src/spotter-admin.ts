import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import "./admin-shell.js";
import "./dev-mailbox.js";
import "../../web/shared/email-sign-in.js";
import { DeskDevice } from "./deskDevice.js";
import { authPost, resume, scriptSession, takeFromHash, type SessionInfo } from "../../web/shared/authClient.js";
import { setCurrentToken } from "./token.js";
import type { SecondFactorNeeded } from "../../web/shared/factorApi.js";

/**
 * The staff app's root: email sign-in without a session, else the signed-in shell. On load it takes a sign-in link
 * (`#signin=`), an invitation (`#invite=`) or a script's token (`#token=`, memory only) from the address bar, else
 * resumes the session from the refresh cookie. `/admin/dev-mail` is the dev mailbox (embedded mode).
 */
@customElement("spotter-admin")
export class SpotterAdmin extends LitElement {
  @state() private _session: SessionInfo | null = null;
  @state() private _problem = "";
  @state() private _invite: string | null = null;
  @state() private _secondFactor: SecondFactorNeeded["secondFactor"] | null = null;
  @state() private _ready = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!location.pathname.replace(/\/$/, "").endsWith("/dev-mail")) void this._boot();
    window.addEventListener("hashchange", this._onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this._onHash);
  }

  /** A sign-in link or invitation opened in a tab already showing the app. */
  private _onHash = () => {
    if (/(?:^#|&)(signin|invite|token)=/.test(location.hash)) void this._boot();
  };

  override render() {
    if (location.pathname.replace(/\/$/, "").endsWith("/dev-mail")) return html`<dev-mailbox></dev-mailbox>`;
    if (this._session)
      return keyed(
        this._session,
        html`<admin-shell .session=${this._session} @signed-out=${this._onSignedOut} @switch-session=${this._onSignedIn}></admin-shell>`,
      );
    if (!this._ready) return html`<p role="status">Signing you in…</p>`;
    return html`<email-sign-in app="staff" heading="Spotter staff sign-in" .reason=${this._problem} .inviteToken=${this._invite} .secondFactor=${this._secondFactor} @signed-in=${this._onSignedIn}></email-sign-in>`;
  }

  private async _boot(): Promise<void> {
    const token = takeFromHash("token");
    const link = takeFromHash("signin");
    this._invite = takeFromHash("invite");
    if (token) {
      this._session = scriptSession(token);
      if (!this._session) this._problem = "That sign-in link is broken — ask for a new one.";
    } else if (link) {
      const answer = await authPost<SessionInfo | SecondFactorNeeded>("/api/auth/email/verify", { link });
      if (!answer.ok) this._problem = answer.message;
      else if ("secondFactor" in answer.value) this._secondFactor = answer.value.secondFactor;
      else this._session = answer.value;
    } else if (!this._invite) {
      const answer = await resume();
      if (answer.ok) this._session = answer.value;
    }
    this._ready = true;
  }

  private _onSignedIn = (e: CustomEvent<SessionInfo>): void => {
    this._problem = "";
    this._secondFactor = null;
    this._invite = null;
    this._session = e.detail;
  };

  private _onSignedOut = (e: CustomEvent<string>): void => {
    setCurrentToken(null);
    // The front desk's saved members, queue and attention list leave the device with the person who signed out.
    void DeskDevice.wipe();
    this._problem = e.detail;
    this._session = null;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "spotter-admin": SpotterAdmin;
  }
}
