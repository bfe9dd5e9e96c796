import { LitElement, html } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { PublicGymView } from "../../domain/views/gymView.js";
import type { UserView } from "../../domain/views/userView.js";
import "../../web/shared/error-toast.js";
import "../../web/shared/offline-banner.js";
import { RoomController } from "../../web/shared/RoomController.js";
import type { SessionActionDetail } from "./actions.js";
import "./member-bookings.js";
import "./member-challenges.js";
import "./member-code.js";
import "./member-feed.js";
import { localTimeZone } from "./format.js";
import { icons } from "./icons.js";
import "./late-cancel-dialog.js";
import type { LateCancelDialog } from "./late-cancel-dialog.js";
import { MeController } from "./MeController.js";
import "./member-me.js";
import "./member-inbox.js";
import "./member-waiver.js";
import "./member-notices.js";
import type { Listen } from "./openClient.js";
import { performAction } from "./performAction.js";
import "./member-schedule.js";
import "./workout-log-form.js";
import type { Send } from "./types.js";
import { shellStyles } from "./shellStyles.js";

/** The app's sections; the path is the route. */
const SCREENS = [
  { path: "/", label: "Schedule", icon: icons.schedule },
  { path: "/bookings", label: "Bookings", icon: icons.bookings },
  { path: "/code", label: "My code", icon: icons.code },
  { path: "/me", label: "Me", icon: icons.me },
  { path: "/feed", label: "Feed", icon: icons.feed },
  { path: "/inbox", label: "Inbox", icon: icons.inbox },
] as const;
/** Screens reached from another screen, not from the sections bar. */
const INNER = [{ path: "/waiver", label: "Waiver" }] as const;
type ScreenPath = (typeof SCREENS)[number]["path"] | (typeof INNER)[number]["path"];

/** What moves when my account may have changed: staff's changes (my room's `account`) and fees my classes charged. */
const accountKey = (user: UserView | null): string =>
  user
    ? `${user.account ?? 0}/${Object.values(user.bookings).filter((b) => b.status === "late_cancelled" || b.status === "no_show").length}`
    : "";

/** What moves when the gym publishes a policy version (empty until my gym room is joined). */
const policyKey = (gym: PublicGymView | null): string => (gym ? JSON.stringify(gym.policies ?? {}) : "");

const routeOf = (path: string): ScreenPath => [...SCREENS, ...INNER].find((s) => s.path === path)?.path ?? "/";

/** The signed-in member app: my room and my gym's room live, notices, sections, and the session actions every screen can ask for. */
@customElement("member-shell")
export class MemberShell extends LitElement {
  static override styles = shellStyles;

  @property({ attribute: false }) client!: SpotterClient;
  @property() userId = "";
  /** Server events outside the room protocol (the feed's `feed:posted`). */
  @property({ attribute: false }) listen: Listen | undefined;
  @state() private _route: ScreenPath = routeOf(location.pathname);
  @state() private _now = Date.now();
  @query("late-cancel-dialog") private _dialog!: LateCancelDialog;
  private _user!: RoomController<UserView>;
  private _gym!: RoomController<PublicGymView>;
  private _me!: MeController;
  private _clock: ReturnType<typeof setInterval> | undefined;
  /** One stable function, so screens don't see a "new" sender on every render. */
  private readonly _send: Send = (room, type, payload) => this.client.command(room, type, payload);

  private get _userRoom(): RoomId {
    return `user:${this.userId}`;
  }

  override connectedCallback() {
    if (!this._user) {
      this._user = new RoomController<UserView>(this, this.client, this._userRoom);
      this._gym = new RoomController<PublicGymView>(this, this.client, null);
      this._me = new MeController(this, this.client, this._userRoom, (gym) => (this._gym.room = `gym:${gym.gymId}`));
    }
    super.connectedCallback();
    this._clock = setInterval(() => (this._now = Date.now()), 15_000);
    addEventListener("popstate", this._onPopState);
    this.addEventListener("session-action", this._onSessionAction);
    this.addEventListener("member-navigate", this._onInnerNavigate);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this._clock);
    removeEventListener("popstate", this._onPopState);
    this.removeEventListener("session-action", this._onSessionAction);
    this.removeEventListener("member-navigate", this._onInnerNavigate);
  }

  override render() {
    const problem = this._problem();
    return html`
      <header>
        <h1>Spotter</h1>
        <span>${this._gym.view?.gym.name ?? this._me.gym?.gymName ?? ""}</span>
      </header>
      <offline-banner .connection=${this._user.connection}></offline-banner>
      <nav aria-label="Sections">
        ${SCREENS.map(
          (s) => html`<a href=${s.path} aria-current=${s.path === this._route ? "page" : "false"} @click=${this._onNavigate}
            ><svg viewBox="0 0 24 24" aria-hidden="true">${s.icon}</svg>${s.label}${s.path === "/inbox" ? this._badge() : ""}</a
          >`,
        )}
      </nav>
      <div class="top">
        ${problem ? html`<div class="problem" role="alert" data-testid="problem">${problem}</div>` : ""}
        <member-notices .user=${this._user.view ?? null} .now=${this._now}></member-notices>
      </div>
      <main id="main" tabindex="-1" aria-label=${[...SCREENS, ...INNER].find((s) => s.path === this._route)!.label}>${this._renderScreen()}</main>
      <error-toast></error-toast>
      <late-cancel-dialog></late-cancel-dialog>
    `;
  }

  /** The unread count, live from my room (every device's reads move it). */
  private _badge() {
    const unread = this._user.view?.unread ?? 0;
    return unread > 0
      ? html`<span class="badge" data-testid="unread" aria-label="${unread} unread">${unread > 99 ? "99+" : unread}</span>`
      : "";
  }

  private _problem(): string {
    for (const [what, room] of [
      ["your bookings", this._user],
      ["the schedule", this._gym],
    ] as const)
      if (room.state?.status === "error") return `We couldn't load ${what}: ${room.state.error?.message ?? "try again later."}`;
    return this._me.problem;
  }

  private _renderScreen() {
    const send = this._send;
    const gym = this._gym.view ?? null;
    const user = this._user.view ?? null;
    const online = this._user.online;
    // Booking acts on what the screen shows: only while both rooms are connected and in sync.
    const canAct = this._user.canAct && this._gym.canAct;
    const tz = gym?.gym.timeZone ?? localTimeZone();
    const room = this._userRoom;
    switch (this._route) {
      case "/":
        return html`<member-schedule .gym=${gym} .user=${user} .client=${this.client} .now=${this._now} .online=${canAct}></member-schedule>`;
      case "/bookings":
        return html`<member-bookings .user=${user} .send=${send} .userRoom=${room} .timeZone=${tz} .now=${this._now} .online=${this._user.canAct}
          .focusSession=${new URLSearchParams(location.search).get("session") ?? ""}></member-bookings>`;
      case "/code":
        return html`<member-code .send=${send} .userRoom=${room} .online=${online} .name=${this._me.me?.name ?? ""}></member-code>`;
      case "/me":
        return html`<member-me .send=${send} .userRoom=${room} .online=${online} .timeZone=${tz} .now=${this._now} .gymId=${this._me.gym?.gymId ?? ""}
          .accountKey=${accountKey(user)} .policyKey=${policyKey(gym)} .userId=${this.userId}></member-me>`;
      case "/inbox":
        return html`<member-inbox .user=${user} .send=${send} .userRoom=${room} .online=${this._user.canAct} .timeZone=${tz}></member-inbox>`;
      case "/waiver":
        return html`<member-waiver .send=${send} .gymId=${this._me.gym?.gymId ?? ""} .online=${online} .policyKey=${policyKey(gym)}></member-waiver>`;
      case "/feed":
        return html`<workout-log-form .send=${send} .gymId=${this._me.gym?.gymId ?? ""} .userId=${this.userId} .online=${online}></workout-log-form>
          <member-challenges .send=${send} .gymId=${this._me.gym?.gymId ?? ""} .online=${online} .timeZone=${tz} .now=${this._now}></member-challenges>
          <member-feed .gym=${gym} .now=${this._now} .send=${send} .listen=${this.listen} .gymId=${this._me.gym?.gymId ?? ""} .userId=${this.userId} .online=${online}></member-feed>`;
    }
  }

  private _onNavigate(e: MouseEvent) {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    const path = routeOf(new URL((e.currentTarget as HTMLAnchorElement).href).pathname);
    if (path !== this._route) history.pushState(null, "", path);
    void this._go(path);
  }

  private _onPopState = () => void this._go(routeOf(location.pathname));

  /** A link inside a screen (Me → Waiver): the same history navigation as the sections bar. */
  private _onInnerNavigate = (e: Event) => {
    const path = routeOf((e as CustomEvent<string>).detail);
    if (path !== this._route) history.pushState(null, "", path);
    void this._go(path);
  };

  private async _go(path: ScreenPath) {
    this._route = path;
    this._now = Date.now();
    await this.updateComplete;
    this.renderRoot.querySelector("main")?.focus();
  }

  private _onSessionAction = (e: CustomEvent<SessionActionDetail>) => {
    this._now = Date.now();
    e.detail.settled = performAction(e.detail, {
      send: this._send,
      online: this._user.canAct,
      now: this._now,
      timeZone: this._gym.view?.gym.timeZone ?? localTimeZone(),
      confirmLateCancel: (info) => this._dialog.confirm(info),
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "member-shell": MemberShell;
  }
}
