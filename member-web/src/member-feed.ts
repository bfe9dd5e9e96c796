import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { PublicGymView } from "../../domain/views/gymView.js";
import "../../web-admin/src/ui/capacity-bar.js";
import { formatTime, localDate } from "./format.js";

/**
 * Live gym activity. The server has no activity feed (check-in milestones) yet, so this shows only
 * real live numbers — how many people are in, and how full today's classes are — and says so.
 */
@customElement("member-feed")
export class MemberFeed extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
      gap: 0.5rem;
    }
    .stat {
      background: var(--card, #fff);
      border-radius: 0.75rem;
      padding: 0.9rem;
      box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
    }
    .big {
      font-size: 2rem;
      font-weight: 700;
    }
    .label,
    .note {
      color: var(--muted, #5b6470);
      font-size: 0.9rem;
    }
  `;

  @property({ attribute: false }) gym: PublicGymView | null = null;
  @property({ type: Number }) now = 0;

  override render() {
    if (!this.gym) return html`<p role="status">Loading…</p>`;
    const tz = this.gym.gym.timeZone;
    const today = localDate(this.now, tz);
    const todays = Object.values(this.gym.schedule).filter((e) => e.status !== "cancelled" && localDate(e.startsAt, tz) === today);
    const booked = todays.reduce((n, e) => n + e.booked, 0);
    const capacity = todays.reduce((n, e) => n + e.capacity, 0);
    const next = todays.filter((e) => e.startsAt > this.now).sort((a, b) => a.startsAt - b.startsAt)[0];
    return html`<h2>${this.gym.gym.name} right now</h2>
      <div class="grid" aria-live="polite">
        <div class="stat">
          <div class="big" data-testid="occupancy">${this.gym.occupancy}</div>
          <div class="label">${this.gym.occupancy === 1 ? "member" : "members"} checked in (last 90 min)</div>
        </div>
        <div class="stat">
          <div class="big">${booked}<span class="label"> / ${capacity}</span></div>
          <div class="label">spots booked in today's ${todays.length} ${todays.length === 1 ? "class" : "classes"}</div>
        </div>
        ${next
          ? html`<div class="stat">
              <div class="label">Next: ${next.className}, ${formatTime(next.startsAt, tz)}</div>
              <capacity-bar .booked=${next.booked} .capacity=${next.capacity} .checkedIn=${next.checkedIn} .waitlist=${next.waitlist}></capacity-bar>
            </div>`
          : ""}
      </div>
      <p class="note">The activity feed — check-in milestones and cheers from friends — is coming soon. These numbers are live.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-feed": MemberFeed;
  }
}
