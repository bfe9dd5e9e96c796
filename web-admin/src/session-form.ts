import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { zonedInstant } from "../../domain/schedule/timeZone.js";
import { shared } from "./styles.js";
import { toasts } from "../../web/shared/toasts.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Schedule one session or a weekly series (with exception dates), in the gym's time zone. */
@customElement("session-form")
export class SessionForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.75rem;
      }
      fieldset {
        border: 1px solid #dde2ea;
        border-radius: 0.5rem;
      }
      .days label {
        display: inline-flex;
        gap: 0.25rem;
        align-items: center;
        margin-right: 0.5rem;
      }
      .err {
        color: #9b1c1c;
        font-size: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @property({ attribute: false }) classTypes: { id: string; name: string }[] = [];
  @property({ attribute: false }) locations: Record<string, string> = {};
  /** Coaches by user id → name. */
  @property({ attribute: false }) coaches: Record<string, string> = {};
  @property() defaultDate = "";
  @state() private _series = false;
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;

  override render() {
    const err = (k: string) => (this._fields[k] ? html`<span class="err">${this._fields[k]}</span>` : nothing);
    return html`<form @submit=${this._onSubmit} aria-label="Schedule a class">
      <h2>Schedule a class</h2>
      <div class="row" role="radiogroup" aria-label="How often">
        <label><input type="radio" name="mode" .checked=${!this._series} @change=${() => (this._series = false)} /> One session</label>
        <label><input type="radio" name="mode" .checked=${this._series} @change=${() => (this._series = true)} /> Weekly series</label>
      </div>
      <div class="row">
        <label>Class type
          <select name="classTypeId" required>${this.classTypes.map((t) => html`<option value=${t.id}>${t.name}</option>`)}</select>${err("classTypeId")}
        </label>
        <label>Location
          <select name="locationId" required>${Object.entries(this.locations).map(([id, n]) => html`<option value=${id}>${n}</option>`)}</select>
        </label>
      </div>
      ${
        this._series
          ? html`<fieldset class="days"><legend>Weekdays</legend>${WEEKDAYS.map((d, i) => html`<label><input type="checkbox" name="weekday" value=${i} />${d}</label>`)}</fieldset>${err("weekdays")}
            <div class="row">
              <label>From <input type="date" name="startDate" required .value=${this.defaultDate} /></label>
              <label>Until <input type="date" name="endDate" required />${err("endDate")}</label>
            </div>
            <label>Skip these dates (YYYY-MM-DD, comma-separated) <input name="exceptions" placeholder="2026-12-24, 2026-12-31" />${err("exceptions")}</label>`
          : html`<label>Date <input type="date" name="date" required .value=${this.defaultDate} /></label>`
      }
      <div class="row">
        <label>Start time <input type="time" name="time" required value="07:00" /></label>
        <label>Minutes <input type="number" name="durationMinutes" min="5" max="1440" value="60" required />${err("durationMinutes")}</label>
        <label>Capacity <input type="number" name="capacity" min="0" max="500" value="16" required />${err("capacity")}</label>
      </div>
      <label>Coach
        <select name="coachId">
          <option value="">No coach yet</option>
          ${Object.entries(this.coaches)
            .sort((a, b) => a[1].localeCompare(b[1]))
            .map(([id, n]) => html`<option value=${id}>${n}</option>`)}
        </select>${err("coachId")}
      </label>
      <p><button class="primary" type="submit" ?disabled=${this._busy || this.classTypes.length === 0}>${this._series ? "Create series" : "Create session"}</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const s = (k: string) => String(d.get(k) ?? "").trim();
    const base = {
      classTypeId: s("classTypeId"),
      locationId: s("locationId"),
      coachId: s("coachId") || null,
      capacity: Number(s("capacity")),
      durationMinutes: Number(s("durationMinutes")),
    };
    const type = this._series ? "schedule:createSeries" : "schedule:createSession";
    const payload = this._series
      ? {
          ...base,
          weekdays: d.getAll("weekday").map(Number),
          startTime: s("time"),
          startDate: s("startDate"),
          endDate: s("endDate"),
          exceptions: s("exceptions")
            .split(/[\s,]+/)
            .filter(Boolean),
        }
      : { ...base, startsAt: zonedInstant(s("date"), s("time"), this.timeZone) };
    this._busy = true;
    const ack = await this.client.command<{ sessionIds?: string[] }>(`gym:${this.gymId}`, type, payload);
    this._busy = false;
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    const n = ack.ok ? (ack.result?.sessionIds?.length ?? 1) : 0;
    if (toasts.fromAck(ack, this._series ? `Series created: ${n} session${n === 1 ? "" : "s"}.` : "Session scheduled.")) {
      this.dispatchEvent(new CustomEvent("scheduled", { bubbles: true, composed: true }));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "session-form": SessionForm;
  }
}
