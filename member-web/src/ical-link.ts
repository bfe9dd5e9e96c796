import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { toasts } from "../../web/shared/toasts.js";
import { accentButtons, textInputs } from "./styles.js";
import type { Send } from "./types.js";

/** My bookings as a calendar feed: the private iCal URL, copy, and revoke (issues a new URL). */
@customElement("ical-link")
export class IcalLink extends LitElement {
  static override styles = [
    accentButtons,
    textInputs,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      input {
        flex: 1 1 14rem;
        font-size: 0.85rem;
        background: #fff;
      }
      button {
        min-height: 2.75rem;
        padding: 0 0.9rem;
        background: #fff;
        color: var(--accent-ink, #0b5a3c);
      }
      p {
        color: var(--muted, #5b6470);
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ attribute: false }) send: Send | undefined;
  @property() room: RoomId | "" = "";
  @property({ type: Boolean }) online = false;
  @state() private _url = "";
  @state() private _busy = false;

  override render() {
    const disabled = !this.online || this._busy || !this.send || !this.room;
    if (!this._url)
      return html`<button ?disabled=${disabled} @click=${this._onShow}>Show my calendar link</button>
        <p>Add your bookings to Google Calendar, Apple Calendar or Outlook. The link is private to you.</p>`;
    return html`<div class="row">
        <input readonly aria-label="Calendar feed URL" .value=${this._url} @focus=${this._onSelect} />
        <button ?disabled=${this._busy} @click=${this._onCopy}>Copy</button>
        <button ?disabled=${disabled} @click=${this._onRevoke}>Revoke</button>
      </div>
      <p>Subscribe to this URL in your calendar app. Revoke it if you shared it by mistake: the old link stops working.</p>
      ${this.online ? nothing : html`<p>Offline — revoking is paused until you're back online.</p>`}`;
  }

  private async _request(type: "user:icalLink" | "user:revokeIcal") {
    if (!this.send || !this.room) return;
    this._busy = true;
    try {
      const ack = await this.send<{ url: string }>(this.room, type, {});
      if (!ack.ok) return void toasts.error(ack.error);
      this._url = ack.result.url;
      if (type === "user:revokeIcal") toasts.success("Old calendar link revoked — use the new one.");
    } finally {
      this._busy = false;
    }
  }

  private _onShow() {
    void this._request("user:icalLink");
  }

  private _onRevoke() {
    if (!confirm("Revoke your calendar link? Calendars using the old link stop updating.")) return;
    void this._request("user:revokeIcal");
  }

  private async _onCopy() {
    try {
      await navigator.clipboard.writeText(this._url);
      toasts.success("Calendar link copied.");
    } catch {
      this.renderRoot.querySelector("input")?.select();
      toasts.error("Couldn't copy — the link is selected, copy it yourself.");
    }
  }

  private _onSelect(e: Event) {
    (e.target as HTMLInputElement).select();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ical-link": IcalLink;
  }
}
