import { LitElement, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { localDate, zonedInstant } from "../../domain/schedule/timeZone.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import "./confirm-dialog.js";
import type { ConfirmDialog } from "./confirm-dialog.js";
import { href } from "./router.js";
import { capacityConsequence } from "./capacityConsequence.js";
import { shared } from "./styles.js";
import { formatTime, formatWhen } from "../../web/shared/format.js";
import { toasts } from "../../web/shared/toasts.js";

/** Edit one scheduled session (capacity, coach, time, length) or cancel it with a reason. */
@customElement("session-editor")
export class SessionEditor extends LitElement {
  static override styles = shared;

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @property({ attribute: false }) session: ScheduleEntry | null = null;
  /** Coaches by user id → name. */
  @property({ attribute: false }) coaches: Record<string, string> = {};
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;
  @query("confirm-dialog.cancel") private _confirm!: ConfirmDialog;
  @query("confirm-dialog.capacity") private _ask!: ConfirmDialog;

  override render() {
    const s = this.session;
    if (!s) return html`<p class="muted">Pick a class in the calendar to edit or cancel it.</p>`;
    const tz = this.timeZone;
    const off = this._busy || s.status !== "scheduled";
    const err = (k: string) => (this._fields[k] ? html`<span class="muted" role="alert">${this._fields[k]}</span>` : nothing);
    return html`<form @submit=${this._onSave} aria-label="Edit session">
        <h2>${s.className}</h2>
        <p class="muted">${formatWhen(s.startsAt, tz)}–${formatTime(s.endsAt, tz)} · ${s.locationName} · ${s.coachName ?? "no coach"} ·
          <a href=${href({ name: "class", id: s.id })}>Open roster</a></p>
        ${s.status === "cancelled" ? html`<p class="status cancelled">Cancelled</p>` : nothing}
        <div class="row">
          <label>Date <input type="date" name="date" .value=${localDate(s.startsAt, tz)} ?disabled=${off} /></label>
          <label>Start <input type="time" name="time" .value=${formatTime(s.startsAt, tz)} ?disabled=${off} />${err("startsAt")}</label>
          <label>Minutes <input type="number" name="durationMinutes" min="5" max="1440" .value=${String(Math.round((s.endsAt - s.startsAt) / 60_000))} ?disabled=${off} /></label>
          <label>Capacity <input type="number" name="capacity" min="0" max="500" .value=${String(s.capacity)} ?disabled=${off} />${err("capacity")}</label>
        </div>
        <label>Coach
          <select name="coachId" ?disabled=${off}>
            <option value="" ?selected=${!s.coachName}>No coach</option>
            ${Object.entries(this.coaches)
              .sort((a, b) => a[1].localeCompare(b[1]))
              .map(([id, n]) => html`<option value=${id} ?selected=${n === s.coachName}>${n}</option>`)}
          </select>
        </label>
        <div class="row">
          <button class="primary" type="submit" ?disabled=${off}>Save changes</button>
          <button class="danger" type="button" ?disabled=${off} @click=${this._onCancel}>Cancel session…</button>
        </div>
      </form>
      <confirm-dialog class="capacity" confirmLabel="Save anyway"></confirm-dialog>
      <confirm-dialog class="cancel" heading="Cancel this session?" message="Booked and waiting members are told at once." confirmLabel="Cancel session" reasonLabel="Reason shown to members"></confirm-dialog>`;
  }

  private async _onSave(e: Event): Promise<void> {
    e.preventDefault();
    const s = this.session;
    if (!s) return;
    const d = new FormData(e.target as HTMLFormElement);
    const startsAt = zonedInstant(String(d.get("date")), String(d.get("time")), this.timeZone);
    const durationMinutes = Number(d.get("durationMinutes"));
    const capacity = Number(d.get("capacity"));
    const change: { sessionId: string; startsAt?: number; durationMinutes?: number; capacity?: number; coachId?: string | null } = {
      sessionId: s.id,
    };
    if (startsAt !== s.startsAt) change.startsAt = startsAt;
    if (durationMinutes !== Math.round((s.endsAt - s.startsAt) / 60_000)) change.durationMinutes = durationMinutes;
    if (capacity !== s.capacity) change.capacity = capacity;
    const coachId = String(d.get("coachId") ?? "") || null;
    if ((coachId ? this.coaches[coachId] : null) !== (s.coachName ?? null)) change.coachId = coachId;
    if (Object.keys(change).length === 1) return void toasts.show("info", "Nothing to change.");
    const below = change.capacity !== undefined ? capacityConsequence(s.booked, s.waitlist, change.capacity) : null;
    if (below && (await this._ask.open(below.heading, below.message)) === null) return;
    this._busy = true;
    const ack = await this.client.command(`gym:${this.gymId}`, "schedule:updateSession", change);
    this._busy = false;
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    toasts.fromAck(ack, "Session updated.");
  }

  private async _onCancel(): Promise<void> {
    const s = this.session;
    const reason = await this._confirm.open();
    if (!s || !reason) return;
    this._busy = true;
    // The class room owns cancellation (members are told from there); there is no schedule:cancelSession.
    const ack = await this.client.command(`class:${s.id}`, "class:cancel", { sessionId: s.id, reason });
    this._busy = false;
    toasts.fromAck(ack, "Session cancelled; members are being told.");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "session-editor": SessionEditor;
  }
}
