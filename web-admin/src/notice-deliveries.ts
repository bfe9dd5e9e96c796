import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { formatStamp } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { logTable, shared } from "./styles.js";

interface Line {
  target: string;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

interface DeliveredNotice {
  noticeId: string;
  kind: string;
  at: number;
  recipient: { id: string; name: string };
  dueAt: number | null;
  deliveries: Line[];
}

type Cursor = { at: number; id: string };

const Kinds: Record<string, string> = {
  promoted: "Off the waitlist",
  offered: "Spot held",
  offer_expired: "Held spot expired",
  class_cancelled: "Class cancelled",
  class_changed: "Class changed",
  spot_open: "Spot open",
  skipped: "Passed over",
  fee_charged: "Fee charged",
  pack_low: "Pack running low",
  membership: "Membership",
  challenge: "Challenge",
  moderation: "Report outcome",
  social: "Kudos / comment",
  challenge_review: "Entry to review",
  report: "Report to moderate",
  waiver_unsigned: "Waiver not signed",
  staff_alert: "Staff alert",
  message: "Message",
};

const StatusWords: Record<string, string> = {
  sent: "Sent",
  retrying: "Retrying",
  failed: "Not delivered",
  gone: "Device gone",
  expired: "Ran out before sending",
};

/** How the gym's notices went out (owners and admins): per notice, whom it was for and each channel's state — never the text. */
@customElement("notice-deliveries")
export class NoticeDeliveries extends LitElement {
  static override styles = [
    shared,
    logTable,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .failed {
        color: #9b1c1c;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @state() private _notices: DeliveredNotice[] | null = null;
  @state() private _next: Cursor | null = null;
  @state() private _error = "";
  @state() private _busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load(null);
  }

  private async _load(before: Cursor | null): Promise<void> {
    this._busy = true;
    const ack = await this.client.command<{ notices: DeliveredNotice[]; next: Cursor | null }>(
      `gym:${this.gymId}`,
      "gym:noticeDeliveries",
      before ? { before } : {},
    );
    this._busy = false;
    if (!ack.ok) {
      this._error = errorMessage(ack.error);
      return;
    }
    this._notices = [...(before ? (this._notices ?? []) : []), ...ack.result.notices];
    this._next = ack.result.next;
  }

  private _onOlder = () => void this._load(this._next);

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    if (!this._notices) return html`<p role="status">Loading notifications…</p>`;
    if (this._notices.length === 0) return html`<p class="muted">No notifications sent yet.</p>`;
    const time = (ms: number) => formatStamp(ms, this.timeZone);
    return html`<div class="table-wrap">
        <table aria-label="Notifications sent">
          <thead>
            <tr><th scope="col">For</th><th scope="col">What</th><th scope="col">Push and email</th></tr>
          </thead>
          <tbody>
            ${this._notices.map(
              (n) => html`<tr data-notice=${n.noticeId}>
                <td>${n.recipient.name || "Removed account"}</td>
                <td>${Kinds[n.kind] ?? n.kind}<br /><span class="muted">${time(n.at)}</span></td>
                <td>${this._lines(n, time)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this._next ? html`<button @click=${this._onOlder} ?disabled=${this._busy}>Older notifications</button>` : nothing}`;
  }

  private _lines(n: DeliveredNotice, time: (ms: number) => string) {
    const owed = n.dueAt !== null ? html`<li class="muted">Next try ${time(n.dueAt)}</li>` : nothing;
    if (n.deliveries.length === 0) return html`<ul>${n.dueAt !== null ? owed : html`<li class="muted">In the app only</li>`}</ul>`;
    return html`<ul>
      ${n.deliveries.map(
        (d) => html`<li class=${d.status === "failed" ? "failed" : ""} data-status=${d.status}>
          ${d.channel === "email" ? "Email" : "Push"}: ${StatusWords[d.status] ?? d.status}${d.attempts > 1 ? ` (${d.attempts} tries)` : ""}
          ${d.lastError && d.status !== "sent" ? html`<br /><span class="muted">${d.lastError}</span>` : nothing}
        </li>`,
      )}
      ${owed}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "notice-deliveries": NoticeDeliveries;
  }
}
