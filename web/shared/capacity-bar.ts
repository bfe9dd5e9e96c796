import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";

/**
 * A class's fill at a glance: checked in (solid), booked (lighter), free, and the waitlist count.
 * Fixed height and reserved text width so live updates never move the layout.
 *
 * @example
 * html`<capacity-bar .booked=${c.booked} .capacity=${s.capacity} .checkedIn=${c.checkedIn} .waitlist=${c.waitlist}></capacity-bar>`
 */
@customElement("capacity-bar")
export class CapacityBar extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: inherit;
      min-width: 8rem;
    }
    .track {
      position: relative;
      height: 0.6rem;
      border-radius: 0.3rem;
      background: var(--spotter-track, #e6e8ec);
      overflow: hidden;
    }
    .fill {
      position: absolute;
      inset: 0 auto 0 0;
      transition: width 200ms ease-out;
    }
    .booked {
      background: var(--spotter-booked, #8fb5f0);
    }
    .here {
      background: var(--spotter-here, #1f5fbf);
    }
    :host([full]) .booked {
      background: var(--spotter-full, #e0a030);
    }
    .label {
      display: flex;
      justify-content: space-between;
      gap: 0.5rem;
      font-size: 0.8rem;
      margin-top: 0.2rem;
      color: var(--spotter-muted, #4a5160);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .wait {
      color: var(--spotter-wait, #8a4b00);
    }
  `;

  @property({ type: Number }) booked = 0;
  @property({ type: Number }) capacity = 0;
  @property({ type: Number, attribute: "checked-in" }) checkedIn = 0;
  @property({ type: Number }) waitlist = 0;
  @property({ type: Boolean, reflect: true }) full = false;

  protected override willUpdate(): void {
    this.full = this.capacity > 0 && this.booked >= this.capacity;
  }

  override render() {
    const cap = Math.max(this.capacity, 1);
    const pct = (n: number) => `${Math.min(100, (n / cap) * 100)}%`;
    const left = Math.max(0, this.capacity - this.booked);
    const summary = `${this.booked} of ${this.capacity} booked, ${this.checkedIn} checked in, ${left} left, ${this.waitlist} on the waitlist`;
    return html`
      <div class="track" role="meter" aria-valuemin="0" aria-valuemax=${this.capacity} aria-valuenow=${this.booked} aria-label=${summary}>
        <div class="fill booked" style="width:${pct(this.booked)}"></div>
        <div class="fill here" style="width:${pct(this.checkedIn)}"></div>
      </div>
      <div class="label" aria-hidden="true">
        <span class="count">${this.booked}/${this.capacity} booked${this.checkedIn ? html` · ${this.checkedIn} here` : ""}</span>
        <span class=${this.waitlist ? "wait" : ""}>${this.full ? "Full" : `${left} left`}${this.waitlist ? ` · ${this.waitlist} waiting` : ""}</span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "capacity-bar": CapacityBar;
  }
}
