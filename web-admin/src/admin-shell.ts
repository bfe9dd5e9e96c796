import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { AdminSession } from "./AdminSession.js";
import { signOut, type SessionInfo } from "../../web/shared/authClient.js";
import "../../web/shared/email-sign-in.js";
import { capabilities, RoleLabels } from "./roles.js";
import { href, RouterController, type Route } from "./router.js";
import { shared } from "./styles.js";
import "../../web/shared/index.js";
import "./board-screen.js";
import "./class-screen.js";
import "./desk-screen.js";
import "./members-screen.js";
import "./audit-screen.js";
import "./leaderboards-screen.js";
import "./leads-screen.js";
import "./segments-screen.js";
import "./insights-screen.js";
import "./plans-screen.js";
import "./import-screen.js";
import "./settings-screen.js";
import "./signin-settings-screen.js";
import "./staff-screen.js";
import "./account-screen.js";
import "./waivers-screen.js";
import "./reports-screen.js";
import "./schedule-screen.js";
import "./staff-inbox.js";
import "./today-screen.js";
import "./setup-wizard.js";

/** Signed in: connects, finds out who I am, then shows the navigation and the current screen. */
@customElement("admin-shell")
export class AdminShell extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 1.5rem;
        padding: 0.5rem 1.25rem;
        background: #14213d;
        color: #fff;
        min-height: 3.25rem;
        flex-wrap: wrap;
      }
      header strong {
        font-size: 1.05rem;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        flex: 1;
        min-width: 0;
      }
      nav a {
        color: #dfe6f3;
        text-decoration: none;
        padding: 0.4rem 0.75rem;
        border-radius: 0.4rem;
        white-space: nowrap;
      }
      nav a[aria-current="page"] {
        background: #2d3e64;
        color: #fff;
      }
      .who {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 0.25rem 0.5rem;
        font-size: 0.85rem;
        color: #c7d0e0;
      }
      .who a.me {
        color: #fff;
      }
      .sr {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      .who button {
        background: transparent;
        color: #fff;
        border-color: #8a96ad;
      }
      /* A phone: name and sign-out on the first line, every screen's link below, wrapped, none cut off. */
      @media (max-width: 760px) {
        header {
          padding: 0.5rem 0.75rem;
          justify-content: space-between;
        }
        nav {
          order: 3;
          flex-basis: 100%;
        }
        nav a {
          padding: 0.45rem 0.6rem;
        }
        header ~ main {
          padding: 0.75rem 0.5rem;
        }
      }
      main {
        padding: 1.25rem;
        max-width: 80rem;
        margin: 0 auto;
      }
      .expired {
        position: fixed;
        inset: 0;
        background: rgb(15 23 42 / 0.55);
        display: grid;
        place-items: center;
        z-index: 50;
      }
      .expired > div {
        background: #fff;
        border-radius: 0.75rem;
        padding: 0.5rem 0 1rem;
        width: min(28rem, 94vw);
      }
      .center {
        display: grid;
        place-items: center;
        min-height: 60vh;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) session!: SessionInfo;
  private _session!: AdminSession;
  private readonly _router = new RouterController(this);

  override connectedCallback(): void {
    this._session ??= new AdminSession(this, { ...this.session });
    super.connectedCallback();
  }

  override render() {
    const { me, client, connection, problem, expired } = this._session;
    // The session ended: the screen stays underneath (nothing typed is lost) and a dialog asks to sign in again.
    const again = expired
      ? html`<div class="expired" role="dialog" aria-modal="true" aria-label="Sign in again">
          <div><email-sign-in app="staff" heading="Your session ended" .reason=${expired} @signed-in=${this._onSignedInAgain}></email-sign-in></div>
        </div>`
      : nothing;
    const banner = html`<offline-banner .connection=${connection}></offline-banner><error-toast></error-toast>${again}`;
    if (!me && expired && !problem) return html`${banner}`;
    if (!me || !client)
      return html`${banner}
        <div class="center" role="status">
          <div>
            <p>${problem || "Connecting to Spotter…"}</p>
            ${problem ? html`<button @click=${this._onSignOut}>Sign out</button>` : nothing}
          </div>
        </div>`;
    const route = this._router.route;
    if (route.name === "desk") return html`${banner}<desk-screen .client=${client} .me=${me}></desk-screen>`;
    if (route.name === "board") return html`${banner}<board-screen .client=${client} .me=${me} .sessionId=${route.id}></board-screen>`;
    // A new gym's owner sets it up first (the wizard saves each step, so leaving half-way resumes there).
    if (me.needsSetup && me.role === "owner")
      return html`${banner}<main><setup-wizard .client=${client} .me=${me} @setup-finished=${this._onSetUp}></setup-wizard></main>`;
    const can = capabilities(me.role);
    const link = (r: Route, label: string) =>
      html`<a href=${href(r)} aria-current=${r.name === route.name || (r.name === "today" && route.name === "class") ? "page" : "false"}>${label}</a>`;
    return html`${banner}
      <header>
        <strong>${me.gymName}</strong>
        <nav aria-label="Main">
          ${link({ name: "today" }, "Today")} ${can.manageSchedule ? link({ name: "schedule" }, "Schedule") : nothing}
          ${can.members ? link({ name: "members", id: null }, "Members") : nothing} ${link({ name: "leaderboards" }, "Leaderboards")}
          ${can.account ? link({ name: "leads" }, "Leads") : nothing}
          ${can.account ? link({ name: "segments" }, "Segments") : nothing}
          ${can.managePlans ? link({ name: "insights" }, "Insights") : nothing}
          ${can.members ? link({ name: "reports" }, "Reports") : nothing}
          ${can.members ? link({ name: "plans" }, "Plans") : nothing}
          ${can.members ? link({ name: "waivers" }, "Waivers") : nothing}
          ${link({ name: "desk" }, "Front desk")}
          ${can.audit ? link({ name: "audit" }, "Audit") : nothing}
          ${can.managePlans ? link({ name: "settings" }, "Settings") : nothing}
          ${can.invite ? link({ name: "staff" }, "Staff") : nothing}
          ${can.signInSettings ? link({ name: "signin" }, "Sign-in") : nothing}
        </nav>
        <span class="who"><staff-inbox .client=${client} .userId=${me.userId}></staff-inbox><a class="me" href=${href({ name: "account" })}><span class="sr">My sign-in: </span>${me.name}</a> · ${RoleLabels[me.role]}<button @click=${this._onSignOut}>Sign out</button></span>
      </header>
      <main>${this._screen(route)}</main>`;
  }

  private _screen(route: Route) {
    const { me, client } = this._session;
    switch (route.name) {
      case "class":
        return html`<class-screen .client=${client!} .me=${me!} .sessionId=${route.id}></class-screen>`;
      case "schedule":
        return html`<schedule-screen .client=${client!} .me=${me!}></schedule-screen>`;
      case "members":
        return html`<members-screen .client=${client!} .me=${me!} .memberId=${route.id}></members-screen>`;
      case "settings":
        return capabilities(me!.role).managePlans
          ? html`<settings-screen .client=${client!} .me=${me!}></settings-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "staff":
        return capabilities(me!.role).invite
          ? html`<staff-screen .client=${client!} .me=${me!}></staff-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "signin":
        return capabilities(me!.role).signInSettings
          ? html`<signin-settings-screen .me=${me!}></signin-settings-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "account":
        return html`<account-screen .me=${me!}></account-screen>`;
      case "plans":
        return html`<plans-screen .client=${client!} .me=${me!}></plans-screen>`;
      case "import":
        return capabilities(me!.role).managePlans
          ? html`<import-screen .me=${me!}></import-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "leads":
        return capabilities(me!.role).account
          ? html`<leads-screen .client=${client!} .me=${me!} .listen=${this._session.listen}></leads-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "insights":
        return capabilities(me!.role).managePlans
          ? html`<insights-screen .client=${client!} .me=${me!} .listen=${this._session.listen}></insights-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "segments":
        return capabilities(me!.role).account
          ? html`<segments-screen .client=${client!} .me=${me!}></segments-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      case "waivers":
        return html`<waivers-screen .client=${client!} .me=${me!}></waivers-screen>`;
      case "reports":
        return html`<reports-screen .client=${client!} .me=${me!}></reports-screen>`;
      case "leaderboards":
        return html`<leaderboards-screen .client=${client!} .me=${me!} .listen=${this._session.listen}></leaderboards-screen>`;
      case "audit":
        return capabilities(me!.role).audit
          ? html`<audit-screen .client=${client!} .me=${me!}></audit-screen>`
          : html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
      default:
        return html`<today-screen .client=${client!} .me=${me!}></today-screen>`;
    }
  }

  private _onSetUp = (): void => {
    const { me } = this._session;
    if (me) this._session.me = { ...me, needsSetup: false };
    this.requestUpdate();
  };

  private async _onSignOut(): Promise<void> {
    await signOut();
    this.dispatchEvent(new CustomEvent("signed-out", { detail: "You signed out.", bubbles: true, composed: true }));
  }

  /** Back in: the same person carries on where they were; someone else starts a fresh shell. */
  private _onSignedInAgain = (e: CustomEvent<SessionInfo>): void => {
    e.stopPropagation();
    if (!this._session.renew(e.detail))
      this.dispatchEvent(new CustomEvent<SessionInfo>("switch-session", { detail: e.detail, bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-shell": AdminShell;
  }
}
