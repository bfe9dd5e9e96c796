import { LitElement, css, html } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import type { MyBooking } from "../../domain/views/userView.js";
import { requestAction } from "./actions.js";
import { formatTime } from "./format.js";
import { accentButtons } from "./styles.js";

/**
 * Self check-in to a booked class (issue 14 item 8): asks for the 6-digit code on the desk screen, which proves the
 * member is in the gym, and sends it. Refusals (self check-in off, wrong or expired code) come back as toasts in words.
 */
@customElement("self-check-in")
export class SelfCheckIn extends LitElement {
  static override styles = [
    accentButtons,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.9rem;
      }
      input {
        font-size: 1.4rem;
        letter-spacing: 0.25rem;
        width: 8rem;
        min-height: 2.75rem;
        font-variant-numeric: tabular-nums;
      }
      button {
        min-height: 2.75rem;
        padding: 0.2rem 0.9rem;
      }
      button.secondary {
        background: transparent;
        color: var(--accent-ink, #0b5a3c);
      }
      .hint {
        color: var(--warn, #a14400);
        font-size: 0.85rem;
        margin: 0.25rem 0 0;
        min-height: 1.2em;
      }
    `,
  ];

  @property({ attribute: false }) entry!: ScheduleEntry;
  @property({ attribute: false }) booking: MyBooking | undefined;
  @property() timeZone = "UTC";
  @property({ type: Boolean }) online = false;
  @state() private _open = false;
  @state() private _busy = false;
  @state() private _hint = "";
  @query("input") private _input!: HTMLInputElement;

  override render() {
    const when = `${this.entry.className} at ${formatTime(this.entry.startsAt, this.timeZone)}`;
    if (!this._open)
      return html`<button ?disabled=${!this.online} aria-label="Check in to ${when}" @click=${this._onOpen}>Check in</button>`;
    return html`<form @submit=${this._onSubmit}>
        <label
          >Code on the desk screen
          <input name="presence" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" required placeholder="000000"
        /></label>
        <button type="submit" ?disabled=${!this.online || this._busy} aria-label="Send the code and check in to ${when}">Check in</button>
        <button type="button" class="secondary" @click=${() => (this._open = false)}>Not now</button>
      </form>
      <p class="hint" role="status">${this._hint}</p>`;
  }

  private async _onOpen(): Promise<void> {
    this._open = true;
    this._hint = "";
    await this.updateComplete;
    this._input?.focus();
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const code = this._input.value.replace(/\s/g, "");
    if (!/^\d{6}$/.test(code)) {
      this._hint = "Type the 6 digits shown on the desk screen.";
      return;
    }
    this._hint = "";
    this._busy = true;
    try {
      const ok = await requestAction(this, {
        action: "checkIn",
        sessionId: this.entry.id,
        className: this.entry.className,
        startsAt: this.entry.startsAt,
        booking: this.booking,
        presenceCode: code,
      });
      if (ok) this._open = false;
      else this._input.select();
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "self-check-in": SelfCheckIn;
  }
}
