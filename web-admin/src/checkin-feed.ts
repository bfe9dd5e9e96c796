import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { CheckInStreamItem } from "../../domain/views/gymView.js";
import { shared } from "./styles.js";
import { formatTime } from "../../web/shared/format.js";
import { StaffCheckInDenialMessages } from "../../domain/checkin/denials.js";
import { denialMessage } from "../../web/shared/messages.js";

/** The live stream of recent check-ins (accepted and denied), newest first. */
@customElement("checkin-feed")
export class CheckinFeed extends LitElement {
  static override styles = [
    shared,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 4rem 1fr auto;
        gap: 0.75rem;
        align-items: center;
        padding: 0.55rem 0.25rem;
        border-bottom: 1px solid #eceff3;
        font-size: 1.05rem;
      }
      .time {
        font-variant-numeric: tabular-nums;
        color: #4a5160;
      }
      .why {
        display: block;
        font-size: 0.85rem;
        color: #7f1d1d;
      }
    `,
  ];

  @property({ attribute: false }) items: CheckInStreamItem[] = [];
  @property() timeZone = "UTC";
  @property({ type: Number }) limit = 12;

  override render() {
    if (this.items.length === 0) return html`<p class="muted">No check-ins yet today.</p>`;
    return html`<ol aria-label="Recent check-ins">
      ${this.items.slice(0, this.limit).map(
        (c) => html`<li data-result=${c.result} data-member=${c.memberId ?? ""} data-override=${c.override ? "yes" : "no"}>
          <span class="time">${formatTime(c.at, this.timeZone)}</span>
          <span
            >${c.name}${c.className ? html` · <span class="muted">${c.className}</span>` : ""}
            ${c.result === "denied" ? html`<span class="why">${c.reason && Object.hasOwn(StaffCheckInDenialMessages, c.reason) ? StaffCheckInDenialMessages[c.reason] : denialMessage(c.reason)}</span>` : ""}
            ${c.override ? html`<span class="why">Override: ${c.override}</span>` : ""}</span
          >
          <span class="status ${c.result}">${c.result === "denied" ? "Denied" : c.override ? "In (override)" : "In"}</span>
        </li>`,
      )}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "checkin-feed": CheckinFeed;
  }
}
