import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import type { MyBooking, MyWaitlistPlace } from "../../domain/views/userView.js";
import { canSelfCheckIn, capacityText, isLiveBooking, isOpenPlace, requestAction, type SessionAction } from "./actions.js";
import { formatTime } from "./format.js";
import "./self-check-in.js";
import { accentButtons } from "./styles.js";

/** One session in the schedule: live capacity, my status, and the one-tap action. */
@customElement("member-session-card")
export class MemberSessionCard extends LitElement {
  static override styles = [
    accentButtons,
    css`
      :host {
        display: block;
      }
      article {
        display: grid;
        grid-template-columns: 3.5rem 1fr auto;
        gap: 0.25rem 0.75rem;
        align-items: center;
        padding: 0.75rem;
        border-radius: 0.75rem;
        background: var(--card, #fff);
        border-left: 0.35rem solid var(--type-color, #888);
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
      }
      .time {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
        line-height: 1.2;
      }
      .time small {
        display: block;
        font-weight: 400;
        color: var(--muted, #5b6470);
      }
      h3 {
        margin: 0;
        font-size: 1rem;
      }
      .where {
        color: var(--muted, #5b6470);
        font-size: 0.85rem;
      }
      .capacity {
        font-size: 0.9rem;
        margin-top: 0.2rem;
      }
      .full {
        color: var(--warn, #a14400);
        font-weight: 600;
      }
      .mine {
        display: inline-block;
        margin-left: 0.4rem;
        padding: 0 0.45rem;
        border-radius: 1rem;
        background: var(--accent-soft, #dff3ea);
        color: var(--accent-ink, #0b5a3c);
        font-size: 0.8rem;
        font-weight: 600;
        white-space: nowrap;
      }
      .actions {
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
        /* A fixed column, so a long label wraps in its button instead of squeezing the class name. */
        width: 6.25rem;
      }
      button {
        min-height: 2.75rem;
        width: 100%;
        padding: 0.2rem 0.5rem;
      }
      button.secondary {
        background: transparent;
        color: var(--accent-ink, #0b5a3c);
      }
      self-check-in {
        grid-column: 1 / -1;
      }
    `,
  ];

  @property({ attribute: false }) entry!: ScheduleEntry;
  @property({ attribute: false }) booking: MyBooking | undefined;
  @property({ attribute: false }) place: MyWaitlistPlace | undefined;
  @property() timeZone = "UTC";
  @property({ type: Number }) now = 0;
  @property({ type: Boolean }) online = false;
  @state() private _busy = false;

  override render() {
    const e = this.entry;
    const capacity = capacityText(e, this.now);
    return html`<article style="--type-color:${e.color}" aria-label="${e.className} at ${formatTime(e.startsAt, this.timeZone)}">
      <div class="time">
        ${formatTime(e.startsAt, this.timeZone)}<small>${formatTime(e.endsAt, this.timeZone)}</small>
      </div>
      <div>
        <h3>${e.className}</h3>
        <div class="where">${e.locationName}${e.coachName ? ` · ${e.coachName}` : ""}</div>
        <div class="capacity">
          <span class=${capacity.startsWith("Full") ? "full" : ""} data-testid="capacity">${capacity}</span>${this._renderMine()}
        </div>
      </div>
      <div class="actions">${this._renderActions()}</div>
      ${
        canSelfCheckIn(e, this.booking, this.now)
          ? html`<self-check-in .entry=${e} .booking=${this.booking} timeZone=${this.timeZone} ?online=${this.online}></self-check-in>`
          : nothing
      }
    </article>`;
  }

  private _renderMine() {
    if (isLiveBooking(this.booking))
      return html`<span class="mine" data-testid="mine">${this.booking.status === "checked_in" ? "Checked in" : "Booked"}</span>`;
    if (isOpenPlace(this.place))
      return html`<span class="mine" data-testid="mine" aria-live="polite"
        >${
          this.place.status === "offered"
            ? `Spot held${this.place.offerExpiresAt ? ` · claim by ${formatTime(this.place.offerExpiresAt, this.timeZone)}` : ""}`
            : `Waitlist #${this.place.position}`
        }</span
      >`;
    return nothing;
  }

  private _renderActions() {
    const e = this.entry;
    const upcoming = e.status === "scheduled" && e.startsAt > this.now;
    const disabled = !this.online || this._busy;
    const when = `${e.className} at ${formatTime(e.startsAt, this.timeZone)}`;
    const button = (action: SessionAction, label: string, aria: string, secondary = false) =>
      html`<button class=${secondary ? "secondary" : ""} ?disabled=${disabled} aria-label="${aria} ${when}" @click=${() => this._onAction(action)}>
        ${label}
      </button>`;
    if (isLiveBooking(this.booking))
      return this.booking.status === "booked" && upcoming ? button("cancel", "Cancel", "Cancel booking for", true) : nothing;
    if (isOpenPlace(this.place)) {
      if (!upcoming) return nothing;
      return html`${this.place.status === "offered" ? button("claim", "Claim spot", "Claim spot in") : nothing}
      ${button("leaveWaitlist", "Leave waitlist", "Leave waitlist for", true)}`;
    }
    if (!upcoming) return nothing;
    return e.spotsLeft > 0 ? button("book", "Book", "Book") : button("waitlist", "Join waitlist", "Join waitlist for");
  }

  private async _onAction(action: SessionAction) {
    this._busy = true;
    try {
      await requestAction(this, {
        action,
        sessionId: this.entry.id,
        className: this.entry.className,
        startsAt: this.entry.startsAt,
        booking: this.booking,
      });
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-session-card": MemberSessionCard;
  }
}
