import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorMessage } from "../../web/shared/messages.js";
import type { DeskOutcome } from "./desk-result.js";
import { shared } from "./styles.js";
import type { DeskCheckInResult } from "./types.js";

/** What the desk hands back after an override or a walk-in: the room's answer and whom it was about. */
export interface DeskAnswerDetail {
  result: DeskCheckInResult;
  label: string;
  /** What to show instead of the result's own reading (a walk-in put on the waitlist, booked but refused at the door). */
  outcome?: DeskOutcome | undefined;
}

/**
 * "Check in anyway": after a refusal staff may override, the desk gives a reason and checks the member in to open gym
 * (`gym:checkIn { override }`, audited, shown on the stream as an override). Owners, admins and the front desk only.
 */
@customElement("desk-override")
export class DeskOverride extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        margin-top: 0.75rem;
      }
      label {
        flex: 1 1 16rem;
        display: grid;
        gap: 0.2rem;
      }
      input,
      button {
        min-height: 2.75rem;
        font-size: 1.05rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  /** The refused member; empty hides the form. */
  @property() memberId = "";
  @property() memberName = "";
  @property({ type: Boolean }) disabled = false;
  @state() private _error = "";
  @state() private _busy = false;

  override render() {
    if (!this.memberId) return nothing;
    return html`<form @submit=${this._onSubmit} aria-label="Check in anyway">
        <label
          >Reason to check ${this.memberName || "them"} in anyway
          <input name="reason" required maxlength="300" autocomplete="off" placeholder="e.g. Signed the paper waiver" ?disabled=${this.disabled || this._busy}
        /></label>
        <button class="primary" type="submit" ?disabled=${this.disabled || this._busy}>Check in anyway</button>
      </form>
      ${this._error ? html`<p role="alert" class="muted">${this._error}</p>` : nothing}`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const reason = String(new FormData(form).get("reason") ?? "").trim();
    if (!reason) return;
    this._busy = true;
    try {
      const ack = await this.client.command<DeskCheckInResult>(`gym:${this.gymId}`, "gym:checkIn", {
        memberId: this.memberId,
        source: "desk",
        openGym: true,
        override: { reason },
      });
      if (!ack.ok) return void (this._error = errorMessage(ack.error));
      this._error = "";
      form.reset();
      this.dispatchEvent(
        new CustomEvent<DeskAnswerDetail>("desk-answer", {
          detail: { result: ack.result, label: this.memberName },
          bubbles: true,
          composed: true,
        }),
      );
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-override": DeskOverride;
  }
}
