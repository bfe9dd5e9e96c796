import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { QuietHours } from "../../domain/notices/quietHours.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Send } from "./types.js";

const toTime = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
const toMinute = (time: string) => {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Quiet hours: notifications wait until they end (a held spot still comes in time to claim it); email is never held. */
@customElement("quiet-hours")
export class QuietHoursSetting extends LitElement {
  static override styles = css`
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: end;
    }
    label {
      display: grid;
      gap: 0.2rem;
    }
    .hint {
      color: var(--muted, #5b6472);
      font-size: 0.9rem;
    }
    .error {
      color: var(--danger, #b42318);
    }
  `;

  @property({ attribute: false }) send: Send | undefined;
  @property() userRoom: RoomId | "" = "";
  @property({ type: Boolean }) online = false;
  @property({ attribute: false }) value: QuietHours | null = null;
  @state() private _error = "";
  @state() private _saved = "";

  override render() {
    const q = this.value;
    return html`<h3>Quiet hours</h3>
      <p class="hint">Notifications wait until quiet hours end. A spot held for you still reaches you in time to claim it.</p>
      <form data-testid="quiet-hours" @submit=${this._onSave}>
        <label>From<input name="start" type="time" required .value=${toTime(q?.startMinute ?? 22 * 60)} ?disabled=${!this.online} /></label>
        <label>Until<input name="end" type="time" required .value=${toTime(q?.endMinute ?? 7 * 60)} ?disabled=${!this.online} /></label>
        <button type="submit" ?disabled=${!this.online}>${q ? "Save" : "Turn on"}</button>
        ${q ? html`<button type="button" @click=${this._onOff} ?disabled=${!this.online}>Turn off</button>` : ""}
      </form>
      <p role="status">${this._saved}</p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ""}`;
  }

  private _onSave = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    void this._set({ startMinute: toMinute(String(form.get("start"))), endMinute: toMinute(String(form.get("end"))), timeZone });
  };

  private _onOff = () => void this._set(null);

  private async _set(quietHours: QuietHours | null) {
    if (!this.send || !this.userRoom) return;
    const ack = await this.send<{ quietHours: QuietHours | null }>(this.userRoom, "inbox:setQuietHours", { quietHours });
    if (!ack.ok) {
      this._error = ack.error.message;
      return;
    }
    this._error = "";
    this.value = ack.result.quietHours;
    this._saved = this.value
      ? `Quiet from ${toTime(this.value.startMinute)} until ${toTime(this.value.endMinute)}.`
      : "Quiet hours are off.";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "quiet-hours": QuietHoursSetting;
  }
}
