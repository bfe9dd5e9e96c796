import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { WalkInOffer } from "../../domain/checkin/walkInOffer.js";
import { formatTime } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { staffDenialMessage } from "../../domain/checkin/denials.js";
import type { DeskAnswerDetail } from "./desk-override.js";
import type { DeskOutcome } from "./desk-result.js";
import { shared } from "./styles.js";
import type { DeskCheckInResult } from "./types.js";

interface Answer {
  memberId: string;
  booking: { status: string; position?: number };
  checkIn: { status: string; reason?: string; message?: string } | null;
}

/**
 * "Book into <class, time> and check in": a member the desk refused as not booked is booked into the class the desk
 * would check them into (or its waitlist, when full) and checked in in one request (`gym:rosterWalkIn`, one command id
 * per offer so a double tap books once). The class room's rules decide, in words.
 */
@customElement("desk-book-in")
export class DeskBookIn extends LitElement {
  static override styles = [
    shared,
    css`
      button {
        min-height: 3rem;
        font-size: 1.15rem;
        margin-top: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  /** The refused member; empty (or no offer) hides the button. */
  @property() memberId = "";
  @property() memberName = "";
  @property({ attribute: false }) offer: WalkInOffer | null = null;
  @property({ type: Boolean }) disabled = false;
  @state() private _error = "";
  @state() private _busy = false;
  private _commandId = "";

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("offer") || changed.has("memberId")) {
      this._commandId = crypto.randomUUID();
      this._error = "";
    }
  }

  override render() {
    const o = this.offer;
    if (!this.memberId || !o) return nothing;
    const cls = `${o.className}, ${formatTime(o.startsAt, this.timeZone)}`;
    return html`<button class="primary" type="button" data-action="bookIn" ?disabled=${this.disabled || this._busy} @click=${this._onBook}>
        ${o.full ? `Class full — add to the waitlist for ${cls}` : `Book into ${cls} and check in`}
      </button>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}`;
  }

  private async _onBook(): Promise<void> {
    const o = this.offer;
    if (!o || this._busy) return;
    this._busy = true;
    try {
      const payload = { sessionId: o.sessionId, memberId: this.memberId };
      const ack = await this.client.command<Answer>(`gym:${this.gymId}`, "gym:rosterWalkIn", payload, { commandId: this._commandId });
      if (!ack.ok) return void (this._error = errorMessage(ack.error));
      this._error = "";
      const detail: DeskAnswerDetail = {
        result: this._result(ack.result, o),
        label: this.memberName,
        outcome: this._outcome(ack.result, o),
      };
      this.dispatchEvent(new CustomEvent<DeskAnswerDetail>("desk-answer", { detail, bubbles: true, composed: true }));
    } finally {
      this._busy = false;
    }
  }

  /** The class room's check-in answer as the desk shows a scan (its card, the stream). */
  private _result(a: Answer, o: WalkInOffer): DeskCheckInResult {
    const c = a.checkIn;
    const status = c?.status === "checked_in" || c?.status === "already_checked_in" ? c.status : "denied";
    return { memberId: a.memberId, memberName: this.memberName, className: o.className, status };
  }

  /** What the desk shows when it is not a plain check-in: on the waitlist, or booked but refused at the door. */
  private _outcome(a: Answer, o: WalkInOffer): DeskOutcome | undefined {
    const at = `${o.className}, ${formatTime(o.startsAt, this.timeZone)}`;
    const name = this.memberName;
    if (a.booking.status === "waitlisted") {
      const place = a.booking.position ? ` — number ${a.booking.position}` : "";
      return { kind: "waitlisted", name, detail: `On the waitlist for ${at}${place}` };
    }
    const c = a.checkIn;
    if (c?.status === "checked_in" || c?.status === "already_checked_in") return undefined;
    const why = (c?.reason && staffDenialMessage(c.reason)) || c?.message || "Check-in refused.";
    return { kind: "denied", name, reason: `Booked into ${at}, not checked in: ${why}` };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-book-in": DeskBookIn;
  }
}
