import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import { formatTime, formatWhen } from "../../web/shared/format.js";
import { toasts } from "../../web/shared/toasts.js";
import { shared } from "./styles.js";

interface Step {
  sessionId: string;
  startsAt: number;
  newStartsAt: number;
  effect: "moved" | "changed" | "cancelled" | "skipped";
  booked: number;
  waitlisted: number;
  overCapacity: number;
  promoted: number;
  note?: string;
}
interface Preview {
  sessions: Step[];
  totals: { classes: number; bookings: number; waitlisted: number; cancelled: number; told: number };
}

const Effects: Record<Step["effect"], string> = { moved: "Moved", changed: "Changed", cancelled: "Cancelled", skipped: "Left as is" };

/**
 * Change "this class" or "this and following" of its series, or end the series: the effect on existing bookings is
 * shown first (`gym:previewSeriesChange`), then confirmed (`gym:changeSeries`); each class tells its members.
 */
@customElement("series-editor")
export class SeriesEditor extends LitElement {
  static override styles = [
    shared,
    css`
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select,
      button {
        min-height: 2.5rem;
      }
      .effect {
        background: #fff7e6;
        border-radius: 0.5rem;
        padding: 0.5rem 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @property({ attribute: false }) session: ScheduleEntry | null = null;
  @property() scheduleId: string | null = null;
  @state() private _preview: { change: Record<string, unknown>; result: Preview } | null = null;
  @state() private _busy = false;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("session") && (changed.get("session") as ScheduleEntry | null)?.id !== this.session?.id) this._preview = null;
  }

  override render() {
    const s = this.session;
    if (!s || s.status !== "scheduled") return nothing;
    const tz = this.timeZone;
    return html`<form @submit=${this._onPreview} aria-label="Change the series">
        <h2>Change the series</h2>
        <div class="row" role="radiogroup" aria-label="Which classes">
          <label class="row"><input type="radio" name="scope" value="this" checked /> This class</label>
          <label class="row"><input type="radio" name="scope" value="following" /> This and following</label>
        </div>
        <div class="row">
          <label>New start <input type="time" name="startTime" .value=${formatTime(s.startsAt, tz)} /></label>
          <label>Minutes <input type="number" name="durationMinutes" min="5" max="1440" .value=${String(Math.round((s.endsAt - s.startsAt) / 60_000))} /></label>
          <label>Places <input type="number" name="capacity" min="0" max="500" .value=${String(s.capacity)} /></label>
        </div>
        <p><button type="submit" ?disabled=${this._busy}>Show the effect</button></p>
      </form>
      ${
        this.scheduleId
          ? html`<form class="row" @submit=${this._onPreviewEnd} aria-label="End the series">
            <label>Last class on <input type="date" name="lastDate" required .value=${localDate(s.startsAt, tz)} /></label>
            <button type="submit" ?disabled=${this._busy}>Show the effect of ending it</button>
          </form>`
          : nothing
      }
      ${this._preview ? this._effect(this._preview.result) : nothing}`;
  }

  private _effect(p: Preview) {
    const tz = this.timeZone;
    const t = p.totals;
    return html`<section class="effect" role="region" aria-label="Effect on bookings">
      <p><strong>${t.classes} class${t.classes === 1 ? "" : "es"}</strong> change${t.cancelled ? html`, <strong>${t.cancelled} cancelled</strong> (bookings refunded, no fee)` : nothing};
        ${t.bookings} booking${t.bookings === 1 ? "" : "s"} and ${t.waitlisted} waiting · ${t.told} member${t.told === 1 ? "" : "s"} will be told.</p>
      <ul>
        ${p.sessions.map(
          (
            x,
          ) => html`<li>${formatWhen(x.startsAt, tz)}${x.newStartsAt !== x.startsAt ? html` → ${formatWhen(x.newStartsAt, tz)}` : nothing}: ${Effects[x.effect]}${x.note ? ` (${x.note})` : ""}
            · ${x.booked} booked${x.overCapacity ? ` · ${x.overCapacity} over the new size (nobody removed)` : ""}${x.promoted ? ` · ${x.promoted} move up from the waitlist` : ""}</li>`,
        )}
      </ul>
      <p><button class="primary" ?disabled=${this._busy || t.classes === 0} @click=${this._onConfirm}>Confirm and tell members</button> <button @click=${() => (this._preview = null)}>Back</button></p>
    </section>`;
  }

  private async _onPreview(e: Event): Promise<void> {
    e.preventDefault();
    const s = this.session!;
    const d = new FormData(e.target as HTMLFormElement);
    const change: Record<string, unknown> = { action: "edit", sessionId: s.id, scope: String(d.get("scope")) };
    if (String(d.get("startTime")) !== formatTime(s.startsAt, this.timeZone)) change.startTime = String(d.get("startTime"));
    if (Number(d.get("durationMinutes")) !== Math.round((s.endsAt - s.startsAt) / 60_000))
      change.durationMinutes = Number(d.get("durationMinutes"));
    if (Number(d.get("capacity")) !== s.capacity) change.capacity = Number(d.get("capacity"));
    await this._ask(change);
  }

  private async _onPreviewEnd(e: Event): Promise<void> {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    await this._ask({ action: "end", scheduleId: this.scheduleId, lastDate: String(d.get("lastDate")) });
  }

  private async _ask(change: Record<string, unknown>): Promise<void> {
    this._busy = true;
    const ack = await this.client.command<Preview>(`gym:${this.gymId}`, "gym:previewSeriesChange", change);
    this._busy = false;
    if (!ack.ok) return void toasts.fromAck(ack, "");
    this._preview = { change, result: ack.result };
  }

  private async _onConfirm(): Promise<void> {
    if (!this._preview) return;
    this._busy = true;
    const ack = await this.client.command<Preview & { applied: number; failed: { message: string }[] }>(
      `gym:${this.gymId}`,
      "gym:changeSeries",
      this._preview.change,
    );
    this._busy = false;
    if (!ack.ok) return void toasts.fromAck(ack, "");
    this._preview = null;
    if (ack.result.failed.length)
      toasts.show("error", `${ack.result.applied} changed; ${ack.result.failed.length} not: ${ack.result.failed[0]!.message}`);
    else toasts.success(`${ack.result.applied} class${ack.result.applied === 1 ? "" : "es"} changed; members are being told.`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "series-editor": SeriesEditor;
  }
}
