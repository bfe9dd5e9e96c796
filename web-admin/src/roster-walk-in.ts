import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./member-search.js";
import { planOption } from "./gymPlans.js";
import type { MemberHit, PlanLine as Plan } from "./types.js";
import { shared } from "./styles.js";

interface Answer {
  memberId: string;
  booking: { status: string };
  checkIn: { status: string; message?: string } | null;
}

/**
 * Walk-in from the roster (`gym:rosterWalkIn`): pick a member — or add someone new as a drop-in or trial — and they are
 * booked into this class (the waitlist when full) and checked in in one step; the roster updates live.
 */
@customElement("roster-walk-in")
export class RosterWalkIn extends LitElement {
  static override styles = [
    shared,
    css`
      summary {
        cursor: pointer;
        font-weight: 600;
        min-height: 2.75rem;
        display: flex;
        align-items: center;
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
        gap: 0.5rem;
        align-items: end;
        margin-top: 0.75rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select,
      button {
        min-height: 2.75rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() currency = "EUR";
  @property() sessionId = "";
  @property({ type: Boolean }) disabled = false;
  @state() private _open = false;
  @state() private _plans: Plan[] = [];
  @state() private _error = "";
  @state() private _busy = false;

  override render() {
    return html`<details class="card" @toggle=${this._onToggle}>
      <summary>Walk-in — book and check in</summary>
      ${this._open ? this._body() : nothing}
    </details>`;
  }

  private _body() {
    const off = this.disabled || this._busy;
    return html`<member-search .client=${this.client} .gymId=${this.gymId} label="Find a member" ?disabled=${off} @member-picked=${this._onPicked}></member-search>
      <form @submit=${this._onNew} aria-label="New walk-in">
        <label>Name <input name="name" required maxlength="200" autocomplete="off" ?disabled=${off} /></label>
        <label>Email <input name="email" type="email" required maxlength="320" autocomplete="off" ?disabled=${off} /></label>
        <label
          >Plan
          <select name="planId" ?disabled=${off}>
            <option value="">No plan</option>
            ${this._plans.map((p) => planOption(p, this.currency))}
          </select></label
        >
        <button class="primary" type="submit" ?disabled=${off}>Add, book and check in</button>
      </form>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}`;
  }

  private async _onToggle(e: Event): Promise<void> {
    this._open = (e.target as HTMLDetailsElement).open;
    if (!this._open || this._plans.length) return;
    const ack = await this.client.command<{ plans: Plan[] }>(`gym:${this.gymId}`, "gym:plans", {});
    if (ack.ok) this._plans = ack.result.plans.filter((p) => !p.archived && (p.kind === "drop_in" || p.kind === "trial"));
  }

  private _onPicked(e: CustomEvent<MemberHit>): void {
    void this._send({ memberId: e.detail.memberId }, e.detail.name);
  }

  private async _onNew(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const planId = String(data.get("planId") ?? "");
    if (await this._send({ newPerson: { name, email: String(data.get("email") ?? "") }, ...(planId ? { planId } : {}) }, name))
      form.reset();
  }

  private async _send(who: Record<string, unknown>, name: string): Promise<boolean> {
    this._busy = true;
    try {
      const ack = await this.client.command<Answer>(`gym:${this.gymId}`, "gym:rosterWalkIn", { sessionId: this.sessionId, ...who });
      if (!ack.ok) {
        this._error = errorMessage(ack.error);
        return false;
      }
      this._error = "";
      const { booking, checkIn } = ack.result;
      if (booking.status === "waitlisted") toasts.success(`The class is full — ${name} is on the waitlist.`);
      else if (checkIn && checkIn.status !== "checked_in" && checkIn.status !== "already_checked_in")
        toasts.error(checkIn.message ?? `${name} is booked, but the check-in was refused.`);
      else toasts.success(`${name} is booked and checked in.`);
      return true;
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "roster-walk-in": RosterWalkIn;
  }
}
