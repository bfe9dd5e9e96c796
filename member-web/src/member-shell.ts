import { LitElement, css, html } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SessionActionDetail } from "./actions.js";
import "./bookings-screen.js";
import "./code-screen.js";
import "./feed-screen.js";
import { localTimeZone } from "./format.js";
import "./late-cancel-dialog.js";
import type { LateCancelDialog } from "./late-cancel-dialog.js";
import { MemberConnection } from "./MemberConnection.js";
import "./me-screen.js";
import "./notice-banner.js";
import { performAction } from "./performAction.js";
import "./schedule-screen.js";
import type { ToastDetail } from "./types.js";

/** The app's sections; the path is the route. */
const SCREENS = [
  { path: "/", label: "Schedule", icon: "📅" },
  { path: "/bookings", label: "Bookings", icon: "🎟" },
  { path: "/code", label: "My code", icon: "▦" },
  { path: "/me", label: "Me", icon: "👤" },
  { path: "/feed", label: "Feed", icon: "⚡" },
] as const;
type ScreenPath = (typeof SCREENS)[number]["path"];

const routeOf = (path: string): ScreenPath => SCREENS.find((s) => s.path === path)?.path ?? "/";

/** The signed-in member app: live connection, notices, sections, and the session actions every screen can ask for. */
@customElement("member-shell")
export class MemberShell extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100dvh;
    }
    header {
      display: flex;
      align-items: baseline;
      gap: 0.5rem;
      padding: 0.75rem 1rem 0.25rem;
    }
    header h1 {
      font-size: 1.15rem;
      margin: 0;
    }
    header span {
      color: var(--muted, #5b6470);
      font-size: 0.9rem;
    }
    .top {
      position: sticky;
      top: 0;
      z-index: 5;
      display: grid;
      gap: 0.4rem;
      padding: 0 0.75rem;
    }
    .offline {
      background: #3b3f45;
      color: #fff;
      padding: 0.6rem 0.8rem;
      border-radius: 0.6rem;
      font-weight: 600;
    }
    .problem {
      background: #fde8e6;
      color: #8a1c12;
      padding: 0.6rem 0.8rem;
      border-radius: 0.6rem;
    }
    main {
      flex: 1;
      padding: 0.5rem 0.75rem 5.5rem;
      width: 100%;
      max-width: 48rem;
      margin: 0 auto;
      box-sizing: border-box;
    }
    main:focus {
      outline: none;
    }
    nav {
      position: fixed;
      bottom: 0;
      left: 0;
      right: 0;
      z-index: 6;
      display: grid;
      grid-template-columns: repeat(5, 1fr);
      background: #fff;
      border-top: 1px solid #dde2e7;
      padding-bottom: env(safe-area-inset-bottom);
    }
    nav a {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      min-height: 3.5rem;
      font-size: 0.75rem;
      color: var(--muted, #5b6470);
      text-decoration: none;
    }
    nav a[aria-current="page"] {
      color: var(--accent-ink, #0b5a3c);
      font-weight: 700;
      box-shadow: inset 0 3px 0 var(--accent, #127a52);
    }
    nav a:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: -3px;
    }
    nav .icon {
      font-size: 1.2rem;
      line-height: 1.2;
    }
    .toasts {
      position: fixed;
      left: 0.75rem;
      right: 0.75rem;
      bottom: 4.25rem;
      z-index: 7;
      display: grid;
      gap: 0.4rem;
      justify-items: center;
      pointer-events: none;
    }
    .toast {
      max-width: 30rem;
      padding: 0.7rem 0.9rem;
      border-radius: 0.6rem;
      background: #1f2328;
      color: #fff;
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
    }
    .toast.error {
      background: var(--danger, #b42318);
    }
    @media (min-width: 48rem) {
      nav {
        position: sticky;
        top: 0;
        order: -1;
        max-width: 48rem;
        margin: 0 auto;
        width: 100%;
        border: none;
        background: transparent;
      }
      main {
        padding-bottom: 2rem;
      }
      .toasts {
        bottom: 1rem;
      }
    }
  `;

  @property() token = "";
  @property() userId = "";
  @state() private _route: ScreenPath = routeOf(location.pathname);
  @state() private _now = Date.now();
  @state() private _toasts: (ToastDetail & { id: number })[] = [];
  @query("late-cancel-dialog") private _dialog!: LateCancelDialog;
  private _live!: MemberConnection;
  private _clock: ReturnType<typeof setInterval> | undefined;
  private _toastId = 0;

  override connectedCallback() {
    this._live ??= new MemberConnection(this, this.token, this.userId);
    super.connectedCallback();
    this._clock = setInterval(() => (this._now = Date.now()), 15_000);
    addEventListener("popstate", this._onPopState);
    this.addEventListener("session-action", this._onSessionAction);
    this.addEventListener("member-toast", this._onToast);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this._clock);
    removeEventListener("popstate", this._onPopState);
    this.removeEventListener("session-action", this._onSessionAction);
    this.removeEventListener("member-toast", this._onToast);
  }

  override render() {
    const live = this._live;
    const offline = live.connection.status !== "connected";
    return html`
      <header>
        <h1>Spotter</h1>
        <span>${live.gym?.gym.name ?? live.me?.gyms[0]?.gymName ?? ""}</span>
      </header>
      <div class="top">
        ${offline
          ? html`<div class="offline" role="status" data-testid="offline">
              ${live.connection.status === "connecting" ? "Connecting…" : "Offline — reconnecting. Booking is paused until you're back."}
            </div>`
          : ""}
        ${live.problem ? html`<div class="problem" role="alert" data-testid="problem">${live.problem}</div>` : ""}
        <notice-banner .user=${live.user} .now=${this._now}></notice-banner>
      </div>
      <nav aria-label="Sections">
        ${SCREENS.map(
          (s) => html`<a href=${s.path} aria-current=${s.path === this._route ? "page" : "false"} @click=${this._onNavigate}
            ><span class="icon" aria-hidden="true">${s.icon}</span>${s.label}</a
          >`,
        )}
      </nav>
      <main id="main" tabindex="-1" aria-label=${SCREENS.find((s) => s.path === this._route)!.label}>${this._renderScreen()}</main>
      <div class="toasts" role="status" aria-live="polite">
        ${this._toasts.map((t) => html`<div class="toast ${t.kind}" data-testid="toast">${t.text}</div>`)}
      </div>
      <late-cancel-dialog></late-cancel-dialog>
    `;
  }

  private _renderScreen() {
    const live = this._live;
    const tz = live.gym?.gym.timeZone ?? localTimeZone();
    switch (this._route) {
      case "/":
        return html`<schedule-screen .gym=${live.gym} .user=${live.user} .now=${this._now} .online=${live.online}></schedule-screen>`;
      case "/bookings":
        return html`<bookings-screen .user=${live.user} .send=${live.send} .userRoom=${live.userRoom} .timeZone=${tz} .now=${this._now} .online=${live.online}></bookings-screen>`;
      case "/code":
        return html`<code-screen .send=${live.send} .userRoom=${live.userRoom} .online=${live.online} .name=${live.me?.name ?? ""}></code-screen>`;
      case "/me":
        return html`<me-screen .send=${live.send} .userRoom=${live.userRoom} .online=${live.online} .timeZone=${tz} .now=${this._now}></me-screen>`;
      case "/feed":
        return html`<feed-screen .gym=${live.gym} .now=${this._now}></feed-screen>`;
    }
  }

  private _onNavigate(e: MouseEvent) {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    const path = routeOf(new URL((e.currentTarget as HTMLAnchorElement).href).pathname);
    if (path !== this._route) history.pushState(null, "", path);
    this._go(path);
  }

  private _onPopState = () => this._go(routeOf(location.pathname));

  private async _go(path: ScreenPath) {
    this._route = path;
    this._now = Date.now();
    await this.updateComplete;
    this.renderRoot.querySelector("main")?.focus();
  }

  private _onSessionAction = (e: CustomEvent<SessionActionDetail>) => {
    this._now = Date.now();
    e.detail.settled = performAction(e.detail, {
      send: this._live.send,
      online: this._live.online,
      now: this._now,
      timeZone: this._live.gym?.gym.timeZone ?? localTimeZone(),
      confirmLateCancel: (info) => this._dialog.confirm(info),
      toast: (text, kind) => this._showToast({ text, kind }),
    });
  };

  private _onToast = (e: CustomEvent<ToastDetail>) => this._showToast(e.detail);

  private _showToast(t: ToastDetail) {
    const id = ++this._toastId;
    this._toasts = [...this._toasts.slice(-2), { ...t, id }];
    setTimeout(() => (this._toasts = this._toasts.filter((x) => x.id !== id)), t.kind === "error" ? 8_000 : 5_000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-shell": MemberShell;
  }
}
