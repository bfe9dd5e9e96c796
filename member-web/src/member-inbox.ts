import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { newestFirst } from "../../domain/notices/inbox.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Notice } from "../../domain/notices/inbox.js";
import type { UserView } from "../../domain/views/userView.js";
import { isSubscribed, pushSupported, subscribeDevice } from "./pushDevice.js";
import type { QuietHours } from "../../domain/notices/quietHours.js";
import "./quiet-hours.js";
import type { Send } from "./types.js";

type Preference = { kind: string; channel: "push" | "email"; enabled: boolean };

/** Words for the kinds a member can choose channels for (the rest keep their defaults). */
const KindLabels: Record<string, string> = {
  promoted: "You got a spot off the waitlist",
  offered: "A spot is held for you",
  offer_expired: "A held spot expired",
  class_cancelled: "A class you booked is cancelled",
  class_changed: "A class you booked changed",
  spot_open: "A spot opened in a full class",
  fee_charged: "Fees",
  membership: "Your membership (freezes)",
  pack_low: "Your class pack is running low",
  challenge: "Challenge results held or approved",
  moderation: "What happened to a post you reported",
  social: "Kudos and comments",
  message: "Messages from your gym",
};

/** Where a notice opens: its class card, else the inbox. */
const urlOf = (n: Notice) => (n.sessionId ? `/bookings?session=${n.sessionId}` : "/inbox");

/** The inbox: my notices (read on any device, read everywhere), notifications on this device, and what reaches me where. */
@customElement("member-inbox")
export class MemberInbox extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    li a {
      display: block;
      padding: 0.75rem;
      margin-bottom: 0.4rem;
      border-radius: 0.6rem;
      background: var(--card, #fff);
      color: inherit;
      text-decoration: none;
    }
    li.unread a {
      border-left: 4px solid var(--accent, #127a52);
      font-weight: 600;
    }
    .when,
    .hint {
      color: var(--muted, #5b6470);
      font-size: 0.85rem;
      font-weight: 400;
    }
    .row {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
      margin: 0.5rem 0 1rem;
    }
    button {
      min-height: 2.75rem;
      padding: 0 1rem;
      border-radius: 0.6rem;
      border: 1px solid #c4cad2;
      background: #fff;
      font: inherit;
    }
    button:focus-visible,
    a:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      background: var(--card, #fff);
      border-radius: 0.6rem;
    }
    th,
    td {
      padding: 0.5rem;
      text-align: left;
    }
    td input {
      width: 1.4rem;
      height: 1.4rem;
      accent-color: var(--accent, #127a52);
    }
    .error {
      color: var(--danger, #b42318);
    }
  `;

  @property({ attribute: false }) user: UserView | null = null;
  @property({ attribute: false }) send: Send | undefined;
  @property() userRoom: RoomId | "" = "";
  @property({ type: Boolean }) online = false;
  @property() timeZone = "UTC";
  @state() private _older: Notice[] = [];
  @state() private _more = true;
  @state() private _device: "unknown" | "on" | "off" | "unsupported" = "unknown";
  @state() private _prefs: Preference[] = [];
  @state() private _quiet: QuietHours | null = null;
  @state() private _error = "";

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has("online") || changed.has("userRoom")) && this.online && this.send && this.userRoom) void this._loadPrefs();
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!pushSupported()) this._device = "unsupported";
    else void isSubscribed().then((on) => (this._device = on ? "on" : "off"));
  }

  override render() {
    const resident = Object.values(this.user?.notices ?? {});
    const shown = [...resident, ...this._older.filter((o) => !this.user?.notices[o.id])].sort(newestFirst);
    const unread = this.user?.unread ?? 0;
    return html`<h2>Inbox</h2>
      <div class="row">
        <button ?disabled=${!this.online || unread === 0} @click=${this._onReadAll} data-testid="read-all">Mark all read</button>
        ${
          this._device === "off"
            ? html`<button ?disabled=${!this.online} @click=${this._onEnablePush} data-testid="enable-push">Turn on notifications on this device</button>`
            : this._device === "on"
              ? html`<span class="hint" data-testid="push-on">Notifications are on for this device.</span>`
              : ""
        }
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ""}
      ${
        shown.length === 0
          ? html`<p class="hint">Nothing yet — waitlist promotions, offers and messages from your gym show up here.</p>`
          : html`<ul aria-label="Notices">
            ${shown.map(
              (n) => html`<li class=${n.readAt === null ? "unread" : "read"} data-testid="inbox-item" data-notice=${n.id}>
                <a href=${urlOf(n)} @click=${(e: MouseEvent) => this._onOpen(e, n)}
                  >${n.text}<br /><span class="when">${new Date(n.at).toLocaleString("en-GB", { timeZone: this.timeZone, dateStyle: "medium", timeStyle: "short" })}${n.readAt === null ? " · new" : ""}</span></a
                >
              </li>`,
            )}
          </ul>
          ${this._more && resident.length >= 50 ? html`<button ?disabled=${!this.online} @click=${this._onOlder}>Older notices</button>` : ""}`
      }
      ${this._prefs.length > 0 ? this._renderPrefs() : ""}`;
  }

  private _renderPrefs() {
    const kinds = Object.keys(KindLabels);
    const enabled = (kind: string, channel: string) => this._prefs.find((p) => p.kind === kind && p.channel === channel)?.enabled ?? false;
    return html`<h3>What reaches me where</h3>
      <p class="hint">Everything stays in this inbox; choose what also comes as a notification or an email.</p>
      <table data-testid="preferences">
        <thead><tr><th scope="col">Notice</th><th scope="col">Notification</th><th scope="col">Email</th></tr></thead>
        <tbody>
          ${kinds.map(
            (kind) => html`<tr>
              <th scope="row">${KindLabels[kind]}</th>
              ${(["push", "email"] as const).map(
                (channel) =>
                  html`<td><input type="checkbox" aria-label="${KindLabels[kind]}: ${channel === "push" ? "notification" : "email"}" data-pref="${kind}:${channel}"
                    .checked=${enabled(kind, channel)} ?disabled=${!this.online} @change=${(e: Event) => this._onPref(kind, channel, (e.target as HTMLInputElement).checked)} /></td>`,
              )}
            </tr>`,
          )}
        </tbody>
      </table>
      <quiet-hours .send=${this.send} .userRoom=${this.userRoom} ?online=${this.online} .value=${this._quiet}></quiet-hours>`;
  }

  private async _loadPrefs() {
    const ack = await this.send!<{ preferences: Preference[]; quietHours: QuietHours | null }>(
      this.userRoom as RoomId,
      "inbox:preferences",
      {},
    );
    if (ack.ok) {
      this._prefs = ack.result.preferences;
      this._quiet = ack.result.quietHours;
    }
  }

  private async _onPref(kind: string, channel: "push" | "email", enabled: boolean) {
    const ack = await this.send!<{ preferences: Preference[] }>(this.userRoom as RoomId, "inbox:setPreference", { kind, channel, enabled });
    if (ack.ok) this._prefs = ack.result.preferences;
    else this._error = ack.error.message;
  }

  private _onOpen(e: MouseEvent, n: Notice) {
    if (n.readAt === null) void this.send?.(this.userRoom as RoomId, "inbox:markRead", { ids: [n.id] });
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    // In the app, not a page load: the shell follows history.
    history.pushState(null, "", urlOf(n));
    dispatchEvent(new PopStateEvent("popstate"));
  }

  private async _onReadAll() {
    const ack = await this.send!(this.userRoom as RoomId, "inbox:markAllRead", {});
    if (!ack.ok) this._error = ack.error.message;
  }

  private async _onOlder() {
    const all = [...Object.values(this.user?.notices ?? {}), ...this._older].sort(newestFirst);
    const last = all[all.length - 1];
    const ack = await this.send!<{ notices: Notice[]; next: unknown }>(
      this.userRoom as RoomId,
      "inbox:page",
      last ? { before: { at: last.at, id: last.id }, limit: 20 } : { limit: 20 },
    );
    if (!ack.ok) return void (this._error = ack.error.message);
    this._older = [...this._older, ...ack.result.notices];
    this._more = ack.result.next !== null;
  }

  private async _onEnablePush() {
    this._error = "";
    const problem = await subscribeDevice(this.send!, this.userRoom as RoomId).catch((err: unknown) =>
      String((err as Error).message ?? err),
    );
    if (problem) this._error = problem;
    else this._device = "on";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-inbox": MemberInbox;
  }
}
