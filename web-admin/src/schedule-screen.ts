import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { addDays, localDate } from "../../domain/schedule/timeZone.js";
import type { ScheduleEntry, StaffGymView } from "../../domain/views/gymView.js";
import "./class-type-form.js";
import "./session-editor.js";
import "./series-editor.js";
import "./session-form.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { formatDay, formatTime } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { RoomController } from "../../web/shared/RoomController.js";

/** The week ahead as a calendar (live), with forms to add class types, sessions and series, and edit one. */
@customElement("schedule-screen")
export class ScheduleScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .week {
        display: grid;
        grid-template-columns: repeat(7, minmax(8rem, 1fr));
        gap: 0.5rem;
        overflow-x: auto;
      }
      .day h3 {
        font-size: 0.9rem;
        margin: 0 0 0.4rem;
      }
      .slot {
        display: block;
        width: 100%;
        text-align: left;
        margin-bottom: 0.4rem;
        padding: 0.4rem;
        border-radius: 0.4rem;
        border: 1px solid #dde2ea;
        border-left: 0.3rem solid var(--c);
        background: #fff;
        min-height: 4.75rem;
      }
      .slot[aria-pressed="true"] {
        outline: 2px solid #1f5fbf;
      }
      .slot.cancelled {
        opacity: 0.55;
        text-decoration: line-through;
      }
      .slot small {
        display: block;
        color: #4a5160;
      }
      .forms {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
        gap: 1rem;
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _selected: string | null = null;
  /** Class types created here, shown at once even before the gym view lists them. */
  @state() private _newTypes: { id: string; name: string }[] = [];
  private _gym!: RoomController<StaffGymView>;

  override connectedCallback(): void {
    this._gym ??= new RoomController<StaffGymView>(this, this.client, `gym:${this.me.gymId}`);
    super.connectedCallback();
  }

  override render() {
    const view = this._gym.view;
    if (this._gym.state?.status === "error") return html`<p role="alert">${errorMessage(this._gym.state.error)}</p>`;
    if (!view) return html`<p role="status">Loading the schedule…</p>`;
    const tz = view.gym.timeZone;
    const today = localDate(Date.now(), tz);
    const days = Array.from({ length: 7 }, (_, i) => addDays(today, i));
    const byDay = new Map<string, ScheduleEntry[]>(days.map((d) => [d, []]));
    for (const s of Object.values(view.schedule)) byDay.get(localDate(s.startsAt, tz))?.push(s);
    const types = new Map<string, string>(this._newTypes.map((t) => [t.id, t.name]));
    for (const s of Object.values(view.schedule)) types.set(s.classTypeId, s.className);
    for (const [id, t] of Object.entries(view.classTypes ?? {})) {
      if (t.archived) types.delete(id);
      else types.set(id, t.name);
    }
    const coaches = view.coaches ?? {};
    const selected = this._selected ? (view.schedule[this._selected] ?? null) : null;
    return html`
      <h1>Schedule</h1>
      <section class="card" aria-label="Next 7 days">
        <div class="week">
          ${days.map(
            (d) => html`<div class="day">
              <h3>${formatDay(Date.parse(`${d}T12:00:00Z`), "UTC")}</h3>
              ${(byDay.get(d) ?? [])
                .sort((a, b) => a.startsAt - b.startsAt)
                .map(
                  (
                    s,
                  ) => html`<button class="slot ${s.status}" style="--c:${s.color}" aria-pressed=${s.id === this._selected} @click=${() => this._onSelect(s.id)}>
                    <strong>${formatTime(s.startsAt, tz)} ${s.className}</strong>
                    <small>${s.locationName}${s.roomName ? ` · ${s.roomName}` : ""}${s.coachName ? ` · ${s.coachName}` : ""}</small>
                    <small>${s.status === "cancelled" ? "Cancelled" : `${s.booked}/${s.capacity} booked${s.waitlist ? ` · ${s.waitlist} waiting` : ""}`}</small>
                  </button>`,
                )}
            </div>`,
          )}
        </div>
      </section>
      <div class="forms">
        <section class="card">
          <session-editor .client=${this.client} .gymId=${this.me.gymId} .timeZone=${tz} .session=${selected} .coaches=${coaches}></session-editor>
          <series-editor .client=${this.client} .gymId=${this.me.gymId} .timeZone=${tz} .session=${selected} .scheduleId=${selected?.scheduleId ?? null}></series-editor>
        </section>
        <section class="card">
          <session-form
            .client=${this.client}
            .gymId=${this.me.gymId}
            .timeZone=${tz}
            .classTypes=${[...types].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name))}
            .locations=${view.locations}
            .coaches=${coaches}
            .defaultDate=${today}
          ></session-form>
        </section>
        <section class="card"><class-type-form .client=${this.client} .gymId=${this.me.gymId} @class-type-created=${this._onTypeCreated}></class-type-form></section>
      </div>
      ${nothing}
    `;
  }

  /** Opens the editor and brings it into view (at 1280×800 it sits below the fold), focus on its first field. */
  private async _onSelect(id: string): Promise<void> {
    this._selected = this._selected === id ? null : id;
    if (!this._selected) return;
    await this.updateComplete;
    const editor = this.renderRoot.querySelector("session-editor");
    if (!editor) return;
    await editor.updateComplete;
    editor.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    editor.renderRoot.querySelector<HTMLElement>("input, select")?.focus({ preventScroll: true });
  }

  private _onTypeCreated(e: CustomEvent<{ id: string; name: string }>): void {
    this._newTypes = [...this._newTypes, e.detail];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "schedule-screen": ScheduleScreen;
  }
}
