import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { MyBooking, MyWaitlistPlace, UserView } from "../../domain/views/userView.js";
import { isLiveBooking, isOpenPlace, requestAction } from "./actions.js";
import { relativeWhen, localTimeZone } from "./format.js";
import "./ical-link.js";
import { accentButtons, plainList } from "./styles.js";
import { inTimeOrder } from "./upcomingOrder.js";
import type { Send } from "./types.js";

const ATTENDANCE: Record<MyBooking["status"], string> = {
  booked: "Booked",
  checked_in: "Attended",
  no_show: "No-show",
  cancelled: "Cancelled",
  late_cancelled: "Late cancel",
};

/** My upcoming bookings and waitlist places, past classes with attendance, and my calendar feed. */
@customElement("member-bookings")
export class MemberBookings extends LitElement {
  static override styles = [
    accentButtons,
    plainList,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1.05rem;
        margin: 1.25rem 0 0.5rem;
      }
      ul {
        gap: 0.5rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.75rem;
        background: var(--card, #fff);
        border-radius: 0.75rem;
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
      }
      li[aria-current="true"] {
        outline: 3px solid var(--accent, #127a52);
      }
      .what {
        flex: 1;
      }
      .when {
        color: var(--muted, #5b6470);
        font-size: 0.85rem;
      }
      .tag {
        font-size: 0.8rem;
        font-weight: 600;
        padding: 0.1rem 0.5rem;
        border-radius: 1rem;
        background: #eef1f4;
        white-space: nowrap;
      }
      .tag.checked_in,
      .tag.booked {
        background: var(--accent-soft, #dff3ea);
        color: var(--accent-ink, #0b5a3c);
      }
      .tag.no_show,
      .tag.late_cancelled {
        background: #fde8e6;
        color: #8a1c12;
      }
      button {
        min-height: 2.75rem;
        padding: 0 0.8rem;
        background: #fff;
        color: var(--accent-ink, #0b5a3c);
      }
      .empty {
        color: var(--muted, #5b6470);
      }
    `,
  ];

  @property({ attribute: false }) user: UserView | null = null;
  @property({ attribute: false }) send: Send | undefined;
  @property() userRoom: RoomId | "" = "";
  @property() timeZone = localTimeZone();
  @property({ type: Number }) now = 0;
  @property({ type: Boolean }) online = false;
  /** The class a notice opened (`/bookings?session=<id>`): its line is marked and scrolled into view. */
  @property() focusSession = "";

  protected override updated() {
    if (this.focusSession) this.renderRoot.querySelector('li[aria-current="true"]')?.scrollIntoView({ block: "center" });
  }

  override render() {
    if (!this.user) return html`<p class="empty" role="status">Loading your bookings…</p>`;
    const all = Object.values(this.user.bookings);
    const upcoming = all.filter((b) => isLiveBooking(b) && b.endsAt > this.now).sort((a, b) => a.startsAt - b.startsAt);
    const past = all.filter((b) => b.endsAt <= this.now || !isLiveBooking(b)).sort((a, b) => b.startsAt - a.startsAt);
    const places = Object.values(this.user.waitlist)
      .filter((p) => isOpenPlace(p) && p.startsAt > this.now)
      .sort((a, b) => a.startsAt - b.startsAt);
    return html`
      <h2 id="upcoming">Upcoming</h2>
      ${
        upcoming.length + places.length === 0
          ? html`<p class="empty">Nothing booked yet — pick a class in the schedule.</p>`
          : html`<ul aria-labelledby="upcoming">
            ${inTimeOrder(upcoming, places).map((u) => (u.kind === "booking" ? this._renderBooking(u.item, true) : this._renderPlace(u.item)))}
          </ul>`
      }
      <h2 id="past">Past and cancelled</h2>
      ${
        past.length === 0
          ? html`<p class="empty">No past classes yet.</p>`
          : html`<ul aria-labelledby="past">
            ${past.map((b) => this._renderBooking(b, false))}
          </ul>`
      }
      <h2>Calendar feed</h2>
      <ical-link .send=${this.send} .room=${this.userRoom} .online=${this.online}></ical-link>
    `;
  }

  private _renderBooking(b: MyBooking, upcoming: boolean) {
    const started = b.startsAt <= this.now;
    const status = upcoming && started && b.status === "booked" ? "In progress" : ATTENDANCE[b.status];
    const label = !upcoming && b.status === "booked" ? "Not checked in" : status;
    return html`<li data-session=${b.sessionId} aria-current=${b.sessionId === this.focusSession ? "true" : "false"}>
      <div class="what">
        <strong>${b.className}</strong>
        <div class="when">${relativeWhen(b.startsAt, this.timeZone, this.now)} · ${b.locationName}</div>
      </div>
      <span class="tag ${b.status}">${label}</span>
      ${
        upcoming && !started && b.status === "booked"
          ? html`<button ?disabled=${!this.online} aria-label="Cancel booking for ${b.className}" @click=${() => this._onCancel(b)}>
            Cancel
          </button>`
          : ""
      }
    </li>`;
  }

  private _renderPlace(p: MyWaitlistPlace) {
    const offered = p.status === "offered";
    return html`<li data-session=${p.sessionId} aria-current=${p.sessionId === this.focusSession ? "true" : "false"}>
      <div class="what">
        <strong>${p.className}</strong>
        <div class="when">${relativeWhen(p.startsAt, this.timeZone, this.now)}</div>
      </div>
      <span class="tag" aria-live="polite">${offered ? "Spot offered" : `Waitlist #${p.position}`}</span>
      ${
        offered
          ? html`<button ?disabled=${!this.online} @click=${() => this._onPlace(p, "claim")}>Claim your spot</button>`
          : html`<button ?disabled=${!this.online} aria-label="Leave the waitlist for ${p.className}" @click=${() => this._onPlace(p, "leaveWaitlist")}>
            Leave
          </button>`
      }
    </li>`;
  }

  private _onCancel(b: MyBooking) {
    void requestAction(this, { action: "cancel", sessionId: b.sessionId, className: b.className, startsAt: b.startsAt, booking: b });
  }

  private _onPlace(p: MyWaitlistPlace, action: "claim" | "leaveWaitlist") {
    void requestAction(this, { action, sessionId: p.sessionId, className: p.className, startsAt: p.startsAt, booking: undefined });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-bookings": MemberBookings;
  }
}
