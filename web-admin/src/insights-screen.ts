import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { ReportTables } from "../../domain/protocol/reports.js";
import type { OwnerReport, ReportRow } from "../../domain/reports/ownerReport.js";
import { formatDay, formatMoney, formatPercent } from "../../web/shared/format.js";
import type { Listen } from "../../web/shared/listen.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./attendance-chart.js";
import "./hour-chart.js";
import "./kpi-card.js";
import "./money-chart.js";
import { downloadText } from "./download.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";

type Table = (typeof ReportTables)[number];

/**
 * The owner's reports: who is at risk and why, attendance by class type, hour and coach, rates, trial conversion.
 * Live: asked with `watch: true`, so a visit committed anywhere (`report:changed`) asks again and the at-risk list drops
 * whoever just came.
 */
@customElement("insights-screen")
export class InsightsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .kpis {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      td.n {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property({ attribute: false }) listen: Listen | null = null;
  @state() private _days = 90;
  @state() private _report: OwnerReport | null = null;
  @state() private _error = "";

  private _stops: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    // `watch: true` subscribes this socket; a new connection has none, so every (re)connect asks again.
    this._stops.push(this.client.onConnection((c) => void (c.status === "connected" && this._load())));
    const off = this.listen?.("report:changed", (change) => void (change.gymId === this.me.gymId && this._load()));
    if (off) this._stops.push(off);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const stop of this._stops.splice(0)) stop();
    void this.client.command(`gym:${this.me.gymId}`, "gym:ownerReport", { watch: false });
  }

  private async _load(): Promise<void> {
    const res = await this.client.command<OwnerReport>(`gym:${this.me.gymId}`, "gym:ownerReport", { days: this._days, watch: true });
    this._error = res.ok ? "" : errorMessage(res.error);
    if (res.ok) this._report = res.result;
  }

  override render() {
    const r = this._report;
    return html`<div class="head">
        <h1>Owner reports</h1>
        <label
          >Period
          <select @change=${this._onDays}>
            ${[30, 90, 365, 730].map((d) => html`<option value=${d} ?selected=${d === this._days}>Last ${d} days</option>`)}
          </select></label
        >
      </div>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      ${r ? this._body(r) : html`<p role="status">Loading…</p>`}`;
  }

  private _body(r: OwnerReport) {
    return html`<div class="kpis">
        <kpi-card label="Fill rate" .value=${formatPercent(r.totals.fillRate)}></kpi-card>
        <kpi-card label="No-shows" .value=${formatPercent(r.noShowRate)}></kpi-card>
        <kpi-card label="Late cancels" .value=${formatPercent(r.lateCancelRate)}></kpi-card>
        <kpi-card label="Trial conversion" .value=${formatPercent(r.trials.conversionRate)} .hint=${`${r.trials.converted} of ${r.trials.trialsBooked} trials joined`}></kpi-card>
        <kpi-card label="At risk" .value=${String(r.atRisk.count)}></kpi-card>
      </div>
      <section class="card" aria-labelledby="risk-h">
        <div class="head"><h2 id="risk-h">Members at risk · ${r.atRisk.count}</h2>${this._csv("atRisk")}</div>
        ${
          r.atRisk.members.length
            ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="Members at risk"><table>
              <thead><tr><th>Member</th><th>Last visit</th><th>Why</th></tr></thead>
              <tbody>${r.atRisk.members.map((m) => html`<tr data-member=${m.memberId}><td>${m.name}</td><td>${m.lastVisitAt ? formatDay(m.lastVisitAt, this.me.timeZone) : "never"}</td><td>${m.reason}</td></tr>`)}</tbody>
            </table></div>`
            : html`<p class="muted">Nobody at risk right now.</p>`
        }
      </section>
      <section class="card" aria-labelledby="kpi-h">
        <div class="head"><h2 id="kpi-h">Day by day</h2>${this._csv("kpis")}</div>
        <attendance-chart .days=${r.kpi.map((d) => ({ date: d.day, booked: d.bookings, checkedIn: d.visits }))}></attendance-chart>
        <p class="muted">Stored once each day is over (today live); the CSV adds joins, leads, sales and active members.</p>
      </section>
      <section class="card" aria-labelledby="hour-h">
        <div class="head"><h2 id="hour-h">By hour of the day</h2>${this._csv("hours")}</div>
        <hour-chart .rows=${r.byHour}></hour-chart>
      </section>
      ${this._table("By class type", "classTypes", r.byClassType)} ${this._table("By coach", "coaches", r.byCoach)}
      <section class="card" aria-label="Retention by join month">
        <div class="head"><h2>Retention by join month</h2>${this._csv("cohorts")}</div>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Retention by join month, table"><table>
          <thead><tr><th>Joined</th><th>Members</th><th>Still members</th><th>Retention</th></tr></thead>
          <tbody>${r.cohorts.map((c) => html`<tr><td>${c.month}</td><td class="n">${c.joined}</td><td class="n">${c.stayed}</td><td class="n">${formatPercent(c.retention)}</td></tr>`)}</tbody>
        </table></div>
      </section>
      <section class="card" aria-label="Money by week">
        <div class="head"><h2>Money by week</h2>${this._csv("money")}</div>
        <money-chart .weeks=${r.moneyByWeek} .currency=${this.me.currency}></money-chart>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Money by week, table"><table>
          <thead><tr><th>Week of</th><th>Sales</th><th>Dues</th><th>Class fees</th><th>Paid</th></tr></thead>
          <tbody>${r.moneyByWeek.map((w) => html`<tr><td>${w.week}</td><td class="n">${formatMoney(w.salesCents, this.me.currency)}</td><td class="n">${formatMoney(w.duesCents, this.me.currency)}</td><td class="n">${formatMoney(w.feesCents, this.me.currency)}</td><td class="n">${formatMoney(w.paidCents, this.me.currency)}</td></tr>`)}</tbody>
        </table></div>
      </section>`;
  }

  private _table(title: string, table: Table, rows: ReportRow[]) {
    return html`<section class="card" aria-label=${title}>
      <div class="head"><h2>${title}</h2>${this._csv(table)}</div>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${`${title}, table`}><table>
        <thead><tr><th></th><th>Classes</th><th>Checked in</th><th>Fill rate</th><th>Waitlisted</th><th>No-shows</th><th>Late cancels</th></tr></thead>
        <tbody>
          ${rows.map((x) => html`<tr><td>${x.label}</td><td class="n">${x.sessions}</td><td class="n">${x.checkedIn}</td><td class="n">${formatPercent(x.fillRate)}</td><td class="n">${x.waitlisted}</td><td class="n">${x.noShows}</td><td class="n">${x.lateCancels}</td></tr>`)}
        </tbody>
      </table></div>
    </section>`;
  }

  private _csv(table: Table) {
    return html`<button type="button" data-csv=${table} @click=${() => this._onCsv(table)}>⬇ CSV</button>`;
  }

  private _onDays(e: Event): void {
    this._days = Number((e.target as HTMLSelectElement).value);
    void this._load();
  }

  private async _onCsv(table: Table): Promise<void> {
    const res = await this.client.command<{ name: string; csv: string }>(`gym:${this.me.gymId}`, "gym:ownerReportCsv", {
      days: this._days,
      table,
    });
    if (!res.ok) return void toasts.fromAck(res);
    downloadText(res.result.name, res.result.csv);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "insights-screen": InsightsScreen;
  }
}
