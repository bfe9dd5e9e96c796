import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { openForCheckIn } from "../../domain/checkin/walkInOffer.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import { formatMoney, formatTime } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import type { DeskAnswerDetail } from "./desk-override.js";
import { shared } from "./styles.js";
import type { DeskCheckInResult } from "./types.js";

interface Plan {
  planId: string;
  name: string;
  kind: string;
  priceCents: number;
  archived: boolean;
}
interface Answer {
  memberId: string;
  booking?: { status: string; position?: number };
  /** The desk's (or the class room's) answer; `error` when the check-in itself failed after they were added. */
  checkIn: (Omit<DeskCheckInResult, "status"> & { status: DeskCheckInResult["status"] | "error" }) | null;
}

/**
 * Walk-in at the desk: someone who isn't a member yet is added (tagged `walk-in`) as a drop-in or a trial (the gym's
 * drop-in first: its fee lands in their account) and checked in in one step — into a class open for check-in now
 * (`gym:rosterWalkIn`: booked, or waitlisted when full) or to open gym (`gym:walkIn`). A duplicate is named so staff
 * open that member instead.
 */
@customElement("desk-walk-in")
export class DeskWalkIn extends LitElement {
  static override styles = [
    shared,
    css`
      details {
        margin-top: 1rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        min-height: 2.75rem;
        display: flex;
        align-items: center;
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.5rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select,
      button {
        min-height: 2.75rem;
        font-size: 1.05rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @property() currency = "EUR";
  /** Today's schedule lines (the gym view's): the classes open for check-in now are offered. */
  @property({ attribute: false }) schedule: Record<string, ScheduleEntry> = {};
  @property({ type: Boolean }) disabled = false;
  @state() private _plans: Plan[] = [];
  @state() private _error = "";
  @state() private _busy = false;
  /** The form exists only while the section is open: fields hidden in a closed <details> are no Tab stops. */
  @state() private _open = false;

  override render() {
    return html`<details class="card" @toggle=${this._onToggle}>
      <summary>Walk-in — not a member yet</summary>
      ${this._open ? this._form() : nothing}
    </details>`;
  }

  private _form() {
    const off = this.disabled || this._busy;
    const classes = openForCheckIn(Object.values(this.schedule), Date.now());
    return html`<form @submit=${this._onSubmit} aria-label="Walk-in">
        <label>Name <input name="name" required maxlength="200" autocomplete="off" ?disabled=${this.disabled || this._busy} /></label>
        <label>Email <input name="email" type="email" required maxlength="320" autocomplete="off" ?disabled=${this.disabled || this._busy} /></label>
        <label>Phone (optional) <input name="phone" type="tel" maxlength="40" autocomplete="off" ?disabled=${this.disabled || this._busy} /></label>
        <label
          >Plan
          <select name="planId" ?disabled=${off}>
            ${this._plans.map((p, i) => html`<option value=${p.planId} ?selected=${i === 0}>${p.name} · ${formatMoney(p.priceCents, this.currency)}</option>`)}
            <option value="">No plan (member only)</option>
          </select></label
        >
        <label
          >Class
          <select name="sessionId" ?disabled=${off}>
            ${classes.map((c, i) => html`<option value=${c.id} ?selected=${i === 0}>${c.className}, ${formatTime(c.startsAt, this.timeZone)}${c.spotsLeft <= 0 ? " (full: waitlist)" : ""}</option>`)}
            <option value="">Open gym (no class)</option>
          </select></label
        >
        <button class="primary" type="submit" ?disabled=${off}>Add and check in</button>
      </form>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}`;
  }

  private async _onToggle(e: Event): Promise<void> {
    this._open = (e.target as HTMLDetailsElement).open;
    if (!this._open || this._plans.length) return;
    const ack = await this.client.command<{ plans: Plan[] }>(`gym:${this.gymId}`, "gym:plans", {});
    // The drop-in first: selling it is what the desk does for someone who just walks in.
    if (ack.ok)
      this._plans = ack.result.plans
        .filter((p) => !p.archived && (p.kind === "drop_in" || p.kind === "trial"))
        .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "drop_in" ? -1 : 1));
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const phone = String(data.get("phone") ?? "").trim();
    const planId = String(data.get("planId") ?? "");
    const sessionId = String(data.get("sessionId") ?? "");
    const person = { name, email: String(data.get("email") ?? ""), ...(phone ? { phone } : {}) };
    this._busy = true;
    try {
      const room = `gym:${this.gymId}` as const;
      const plan = planId ? { planId } : {};
      const ack = sessionId
        ? await this.client.command<Answer>(room, "gym:rosterWalkIn", { sessionId, newPerson: person, ...plan })
        : await this.client.command<Answer>(room, "gym:walkIn", { ...person, ...plan });
      if (!ack.ok) return void (this._error = errorMessage(ack.error));
      this._error = "";
      form.reset();
      const detail = answerDetail(ack.result, name, sessionId ? this.schedule[sessionId] : undefined, this.timeZone);
      this.dispatchEvent(new CustomEvent<DeskAnswerDetail>("desk-answer", { detail, bubbles: true, composed: true }));
    } finally {
      this._busy = false;
    }
  }
}

/** The answer as the desk shows a scan: checked in, on the waitlist, or added but refused at the door (in words). */
function answerDetail(a: Answer, name: string, line: ScheduleEntry | undefined, timeZone: string): DeskAnswerDetail {
  const at = line ? `${line.className}, ${formatTime(line.startsAt, timeZone)}` : "";
  const c = a.checkIn;
  const result: DeskCheckInResult =
    c && c.status !== "error"
      ? {
          ...c,
          status: c.status,
          memberId: c.memberId ?? a.memberId,
          memberName: c.memberName ?? name,
          className: c.className ?? line?.className ?? null,
        }
      : { status: "denied", memberId: a.memberId, memberName: name, message: c?.message ?? "Added, not checked in." };
  if (a.booking?.status === "waitlisted") {
    const place = a.booking.position ? ` — number ${a.booking.position}` : "";
    return { result, label: name, outcome: { kind: "waitlisted", name, detail: `Added and on the waitlist for ${at}${place}` } };
  }
  return { result, label: name };
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-walk-in": DeskWalkIn;
  }
}
