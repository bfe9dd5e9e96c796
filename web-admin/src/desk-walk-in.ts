import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorMessage } from "../../web/shared/messages.js";
import type { DeskAnswerDetail } from "./desk-override.js";
import { shared } from "./styles.js";
import type { DeskCheckInResult } from "./types.js";

/**
 * Walk-in at the desk: someone who isn't a member yet is added (tagged `walk-in`) and checked in in one step
 * (`gym:walkIn`). A duplicate is named so staff open that member instead.
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
      button {
        min-height: 2.75rem;
        font-size: 1.05rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property({ type: Boolean }) disabled = false;
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
    return html`<form @submit=${this._onSubmit} aria-label="Walk-in">
        <label>Name <input name="name" required maxlength="200" autocomplete="off" ?disabled=${this.disabled || this._busy} /></label>
        <label>Email <input name="email" type="email" required maxlength="320" autocomplete="off" ?disabled=${this.disabled || this._busy} /></label>
        <label>Phone (optional) <input name="phone" type="tel" maxlength="40" autocomplete="off" ?disabled=${this.disabled || this._busy} /></label>
        <button class="primary" type="submit" ?disabled=${this.disabled || this._busy}>Add and check in</button>
      </form>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}`;
  }

  private _onToggle(e: Event): void {
    this._open = (e.target as HTMLDetailsElement).open;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const phone = String(data.get("phone") ?? "").trim();
    this._busy = true;
    try {
      const ack = await this.client.command<{ memberId: string; checkIn: DeskCheckInResult }>(`gym:${this.gymId}`, "gym:walkIn", {
        name,
        email: String(data.get("email") ?? ""),
        ...(phone ? { phone } : {}),
      });
      if (!ack.ok) return void (this._error = errorMessage(ack.error));
      this._error = "";
      form.reset();
      const result = { ...ack.result.checkIn, memberId: ack.result.checkIn.memberId ?? ack.result.memberId };
      this.dispatchEvent(
        new CustomEvent<DeskAnswerDetail>("desk-answer", { detail: { result, label: name }, bubbles: true, composed: true }),
      );
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-walk-in": DeskWalkIn;
  }
}
