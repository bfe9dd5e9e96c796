import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { checkInWindowState } from "../../domain/checkin/checkInWindow.js";
import { noShowAllowed } from "../../domain/class/windows.js";
import type { RosterEntry, SessionSummary } from "../../domain/views/classView.js";
import { rosterEntries, type RosterLine } from "../../domain/views/rosterWire.js";
import { shared } from "./styles.js";
import { formatTime, formatWhen, localDate } from "../../web/shared/format.js";

/** What a roster button asks for; the class screen sends the command. */
export type RosterAction = "checkIn" | "undoCheckIn" | "noShow" | "undoNoShow" | "cancel" | "cancelWithFee";

export interface RosterActionDetail {
  action: RosterAction;
  memberId: string;
  name: string;
}

const STATUS: Record<string, string> = {
  booked: "Booked",
  checked_in: "Checked in",
  no_show: "No-show",
  late_cancelled: "Late cancel",
  cancelled: "Cancelled",
};

const ORDER: Record<string, number> = { checked_in: 0, booked: 0, no_show: 1, late_cancelled: 2, cancelled: 3 };

/**
 * The live roster: one row per booking with one-click actions. Buttons keep their places whatever
 * the state (disabled rather than removed) so rows never jump under a finger. Fires `roster-action`.
 */
@customElement("class-roster")
export class ClassRoster extends LitElement {
  static override styles = [
    shared,
    css`
      td.actions {
        width: 1%;
      }
      .buttons {
        display: grid;
        grid-template-columns: repeat(2, 7.5rem);
        gap: 0.3rem;
        justify-content: end;
      }
      .buttons button {
        justify-content: center;
        font-size: 0.85rem;
        padding: 0.3rem 0.4rem;
      }
      tr.checked_in {
        background: #f3fbf5;
      }
      .when {
        margin: 0 0 0.5rem;
        padding: 0.4rem 0.6rem;
        border-radius: 0.4rem;
        background: #fff4d6;
        color: #5c3c00;
        font-size: 0.9rem;
      }
      /* A phone: each booking is a block, its buttons a full-width grid under the name. */
      @media (max-width: 640px) {
        table,
        tbody,
        tr,
        td {
          display: block;
        }
        thead {
          display: none;
        }
        tr {
          padding: 0.5rem 0;
          border-bottom: 1px solid #eceff3;
        }
        td {
          border: 0;
          padding: 0.2rem 0;
        }
        td.actions {
          width: auto;
        }
        .buttons {
          grid-template-columns: repeat(2, minmax(0, 1fr));
          justify-content: stretch;
        }
      }
      .note {
        font-size: 0.75rem;
        color: #7a4200;
      }
    `,
  ];

  /** As the class view holds it: lines without their default fields (restored here). */
  @property({ attribute: false }) roster: Readonly<Record<string, RosterLine>> = {};
  /** Members with a command in flight: their buttons are disabled. */
  @property({ attribute: false }) busy: ReadonlySet<string> = new Set();
  @property({ type: Boolean }) disabled = false;
  @property({ type: Boolean, attribute: "can-fee" }) canFee = false;
  @property() feeLabel = "";
  /** The session's windows: check-in and no-show buttons are disabled outside them, and say when they open. */
  @property({ attribute: false }) session: Pick<SessionSummary, "status" | "startsAt" | "checkInOpensAt" | "checkInClosesAt"> | null = null;
  @property({ attribute: false }) now = Date.now();
  @property() timeZone = "UTC";

  /** "Check-in opens 17:15 · No-show from 17:30" — why the buttons are disabled, and when they will work. */
  private _when(): { checkIn: boolean; noShow: boolean; text: string } {
    const s = this.session;
    if (!s) return { checkIn: true, noShow: true, text: "" };
    const at = (t: number) =>
      localDate(t, this.timeZone) === localDate(this.now, this.timeZone) ? formatTime(t, this.timeZone) : formatWhen(t, this.timeZone);
    const window = checkInWindowState(s, this.now);
    const noShow = noShowAllowed(s, this.now);
    const parts = [
      window === "not_yet"
        ? `Check-in opens ${at(s.checkInOpensAt)}`
        : window === "closed"
          ? `Check-in closed at ${at(s.checkInClosesAt)}`
          : "",
      noShow ? "" : `No-show from ${at(s.startsAt)}`,
    ].filter(Boolean);
    return { checkIn: window === "open", noShow, text: parts.join(" · ") };
  }

  override render() {
    const rows = rosterEntries(this.roster).sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.name.localeCompare(b.name));
    if (rows.length === 0) return html`<p class="muted">Nobody is booked yet.</p>`;
    const when = this._when();
    return html`${when.text ? html`<p class="when" id="roster-when" data-testid="roster-when">${when.text}</p>` : nothing}<table>
      <thead>
        <tr><th>Member</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr>
      </thead>
      <tbody>
        ${rows.map((r) => this._row(r, when))}
      </tbody>
    </table>`;
  }

  private _row(r: RosterEntry, when: { checkIn: boolean; noShow: boolean; text: string }) {
    const off = this.disabled || this.busy.has(r.memberId);
    const booked = r.status === "booked";
    const here = r.status === "checked_in";
    const badge =
      r.membershipStatus !== "active"
        ? r.membershipStatus.replace("_", " ")
        : r.trial
          ? "Trial"
          : r.promotedFromWaitlist
            ? "from waitlist"
            : "";
    return html`<tr class=${r.status} data-member=${r.memberId} data-status=${r.status} ?data-trial=${r.trial === true}>
      <td>
        <member-chip .name=${r.name} .sub=${r.email} .badge=${badge} .tone=${r.membershipStatus !== "active" ? "bad" : "info"}></member-chip>
        ${r.notes ? html`<div class="note">⚠ ${r.notes}</div>` : nothing}
      </td>
      <td>
        <span class="status ${r.status}">${STATUS[r.status] ?? r.status}</span>
        ${here && r.override ? html`<div class="note" data-testid="override">Override: ${r.override}</div>` : nothing}
      </td>
      <td class="actions"><div class="buttons">
        ${
          here
            ? html`<button data-action="undoCheckIn" ?disabled=${off} @click=${() => this._fire("undoCheckIn", r)} aria-label="Undo check-in for ${r.name}">
              Undo check-in
            </button>`
            : html`<button class="primary" data-action="checkIn" ?disabled=${off || !booked || !when.checkIn} aria-describedby=${when.checkIn ? nothing : "roster-when"} @click=${() => this._fire("checkIn", r)} aria-label="Check in ${r.name}">
              Check in
            </button>`
        }
        ${
          r.status === "no_show"
            ? html`<button data-action="undoNoShow" ?disabled=${off} @click=${() => this._fire("undoNoShow", r)} aria-label="Undo the no-show of ${r.name}">Undo no-show</button>`
            : html`<button data-action="noShow" ?disabled=${off || !booked || !when.noShow} aria-describedby=${when.noShow ? nothing : "roster-when"} @click=${() => this._fire("noShow", r)} aria-label="Mark ${r.name} as no-show">No-show</button>`
        }
        <button data-action="cancel" ?disabled=${off || !booked} @click=${() => this._fire("cancel", r)} aria-label="Cancel ${r.name}'s booking">Cancel</button>
        ${
          this.canFee
            ? html`<button
              class="danger"
              data-action="cancelWithFee"
              ?disabled=${off || !booked}
              @click=${() => this._fire("cancelWithFee", r)}
              aria-label="Cancel + ${this.feeLabel || "fee"}: ${r.name}'s booking, with the late-cancel fee"
            >
              Cancel + ${this.feeLabel || "fee"}
            </button>`
            : nothing
        }
      </div></td>
    </tr>`;
  }

  private _fire(action: RosterAction, r: RosterEntry): void {
    const detail: RosterActionDetail = { action, memberId: r.memberId, name: r.name };
    this.dispatchEvent(new CustomEvent("roster-action", { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "class-roster": ClassRoster;
  }
}
