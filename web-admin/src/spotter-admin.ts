import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import "./admin-shell.js";
import "./dev-mailbox.js";
import "../../web/shared/email-sign-in.js";
import { DeskDevice } from "./deskDevice.js";
import "./desk-screen.js";
import { io } from "socket.io-client";
import { SpotterClient } from "../../domain/client/index.js";
import type { StaffMe } from "./types.js";
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
  /** The front desk opened without a connection: the desk as last signed in, deciding on the device until Spotter answers. */
  @state() private _offlineDesk: { me: StaffMe; client: SpotterClient } | null = null;
  private _retry: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!location.pathname.replace(/\/$/, "").endsWith("/dev-mail")) void this._boot();
    window.addEventListener("hashchange", this._onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this._onHash);
    clearTimeout(this._retry);
  }

  /** A sign-in link or invitation opened in a tab already showing the app. */
  private _onHash = () => {
    if (/(?:^#|&)(signin|invite|token)=/.test(location.hash)) void this._boot();
  };

  override render() {
    if (location.pathname.replace(/\/$/, "").endsWith("/dev-mail")) return html`<dev-mailbox></dev-mailbox>`;
    if (this._offlineDesk && !this._session)
      return html`<desk-screen .client=${this._offlineDesk.client} .me=${this._offlineDesk.me} @signed-out=${this._onSignedOut}></desk-screen>`;
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
      else if (unreachable(answer.status)) await this._openDeskOffline();
    }
    this._ready = true;
  }

  /**
   * Spotter can't be reached and this is the front desk: open the desk as it was last signed in (issue 21), deciding
   * on the device, and sign in again quietly (the refresh cookie) as soon as Spotter answers.
   */
  private async _openDeskOffline(): Promise<void> {
    if (!/\/admin\/desk\/?$/.test(location.pathname)) return;
    const me = await DeskDevice.savedDesk().catch(() => undefined);
    if (!me) return;
    // A client whose socket never connects: the desk screen sees "offline" and works from the device.
    this._offlineDesk ??= { me, client: new SpotterClient(io(location.origin, { autoConnect: false, transports: ["websocket"] })) };
    const retry = async () => {
      const answer = await resume();
      if (answer.ok) {
        this._offlineDesk?.client.close();
        this._offlineDesk = null;
        this._session = answer.value;
      } else if (unreachable(answer.status)) this._retry = setTimeout(() => void retry(), 3_000);
      else {
        this._offlineDesk = null;
        this._problem = answer.message;
      }
    };
    this._retry = setTimeout(() => void retry(), 3_000);
  }

  private _onSignedIn = (e: CustomEvent<SessionInfo>): void => {
    this._problem = "";
    this._secondFactor = null;
    this._invite = null;
    this._session = e.detail;
  };

  private _onSignedOut = (e: CustomEvent<string>): void => {
    setCurrentToken(null);
    clearTimeout(this._retry);
    this._offlineDesk?.client.close();
    this._offlineDesk = null;
    // The front desk's saved members, queue and attention list leave the device with the person who signed out.
    void DeskDevice.wipe();
    this._problem = e.detail;
    this._session = null;
  };
}

/** No answer, or the server (or a proxy before it) failing: not a refusal of the sign-in. */
const unreachable = (status: number) => status === 0 || status >= 500;

declare global {
  interface HTMLElementTagNameMap {
    "spotter-admin": SpotterAdmin;
  }
}
