import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { ScheduleEntry, StaffGymView } from "../../domain/views/gymView.js";
import "./attendance-chart.js";
import "./kpi-card.js";
import { capabilities } from "./roles.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import type { AttendanceSeries, StaffMe } from "./types.js";
import { todayTotals } from "../../domain/views/todayTotals.js";
import { formatMoney, formatPercent, formatTime } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { RoomController } from "../../web/shared/RoomController.js";

/** Today at a glance: live KPIs, the 30-day attendance trend, and today's classes with live capacity. */
@customElement("today-screen")
export class TodayScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .kpis {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 900px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
      .sessions a {
        color: inherit;
        font-weight: 600;
      }
      .time {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      td.bar {
        width: 14rem;
      }
      @media (max-width: 560px) {
        td.bar {
          width: 40%;
        }
        th:last-child,
        td[data-waitlist] {
          display: none;
        }
      }
      .empty {
        padding: 1rem 0;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _series: AttendanceSeries["days"] = [];
  @state() private _seriesError = "";
  private _gym!: RoomController<StaffGymView>;
  private _refresh: ReturnType<typeof setTimeout> | undefined;
  private _lastCheckIns = -1;

  override connectedCallback(): void {
    this._gym ??= new RoomController<StaffGymView>(this, this.client, `gym:${this.me.gymId}`);
    super.connectedCallback();
    if (capabilities(this.me.role).seeBusiness) void this._loadSeries();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._refresh);
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const n = this._gym.view?.kpis.checkIns ?? -1;
    if (n !== this._lastCheckIns && this._lastCheckIns !== -1 && capabilities(this.me.role).seeBusiness) {
      clearTimeout(this._refresh);
      this._refresh = setTimeout(() => void this._loadSeries(), 2_000);
    }
    this._lastCheckIns = n;
  }

  override render() {
    const view = this._gym.view;
    const can = capabilities(this.me.role);
    return html`
      <h1>Today</h1>
      ${this._gym.state?.status === "error" ? html`<p role="alert">${errorMessage(this._gym.state.error)}</p>` : nothing}
      ${can.seeBusiness || this.me.role === "front_desk" ? this._kpis(view) : nothing}
      <div class="grid">
        <section class="card sessions" aria-labelledby="classes-h">
          <h2 id="classes-h">${can.onlyOwnClasses ? "My classes today" : "Classes today"}</h2>
          ${view ? this._sessions(this._today(view)) : html`<p class="muted" role="status">Loading today's classes…</p>`}
        </section>
        ${
          can.seeBusiness
            ? html`<section class="card" aria-labelledby="trend-h">
              <h2 id="trend-h">Attendance, last 30 days</h2>
              ${this._seriesError ? html`<p role="alert">${this._seriesError}</p>` : nothing}
              <attendance-chart .days=${this._series}></attendance-chart>
            </section>`
            : nothing
        }
      </div>
    `;
  }

  /** Every card says what it counts; "Booked today" is the sum of the class table below (one function, one number). */
  private _kpis(view: StaffGymView | undefined) {
    const k = view?.kpis;
    const v = (x: string | number | undefined) => (x === undefined ? "…" : String(x));
    const business = capabilities(this.me.role).seeBusiness;
    const t = view ? todayTotals(view.schedule, view.gym.timeZone, Date.now()) : undefined;
    return html`<div class="kpis">
      <kpi-card label="Check-ins" .value=${v(k?.checkIns)} hint="today, desk and app"></kpi-card>
      <kpi-card label="In the gym" .value=${v(view?.occupancy)} hint="checked in, last 90 minutes"></kpi-card>
      <kpi-card label="Booked today" .value=${t ? `${t.booked} / ${t.capacity}` : "…"} hint=${t ? `spots in today's ${t.classes.filter((s) => s.status !== "cancelled").length} classes` : "spots in today's classes"}></kpi-card>
      <kpi-card label="Bookings made" .value=${v(k?.bookings)} hint="today, for any day"></kpi-card>
      ${
        business
          ? html`<kpi-card label="No-shows" .value=${v(k?.noShows)} hint="today"></kpi-card>
            <kpi-card label="Attendance" .value=${k ? formatPercent(k.attendanceRate) : "…"} hint="checked in, of today's finished classes"></kpi-card>
            <kpi-card label="Fees today" .value=${k ? formatMoney(k.feesCents, this.me.currency) : "…"} hint="late cancels and no-shows"></kpi-card>`
          : nothing
      }
    </div>`;
  }

  private _today(view: StaffGymView): ScheduleEntry[] {
    const own = capabilities(this.me.role).onlyOwnClasses;
    return todayTotals(view.schedule, view.gym.timeZone, Date.now(), (s) => !own || s.coachId === this.me.userId).classes;
  }

  private _sessions(list: ScheduleEntry[]) {
    if (list.length === 0) return html`<p class="muted empty">No classes today.</p>`;
    const tz = this._gym.view!.gym.timeZone;
    return html`<table>
      <thead>
        <tr><th>Time</th><th>Class</th><th>Capacity</th><th>Waitlist</th></tr>
      </thead>
      <tbody>
        ${list.map(
          (s) => html`<tr data-session=${s.id} class=${s.status}>
            <td class="time">${formatTime(s.startsAt, tz)}</td>
            <td>
              <a href=${href({ name: "class", id: s.id })}>${s.className}</a>
              <div class="muted">${s.locationName}${s.coachName ? ` · ${s.coachName}` : ""}</div>
              ${s.status === "cancelled" ? html`<span class="status cancelled">Cancelled</span>` : nothing}
            </td>
            <td class="bar">
              <capacity-bar .booked=${s.booked} .capacity=${s.capacity} .checkedIn=${s.checkedIn} .waitlist=${s.waitlist}></capacity-bar>
            </td>
            <td data-waitlist>${s.waitlist}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private async _loadSeries(): Promise<void> {
    const ack = await this.client.command<AttendanceSeries>(`gym:${this.me.gymId}`, "gym:attendanceSeries", { days: 30 });
    if (ack.ok) {
      this._series = ack.result.days;
      this._seriesError = "";
    } else this._seriesError = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "today-screen": TodayScreen;
  }
}
