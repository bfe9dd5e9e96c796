import { LitElement, css, html, unsafeCSS, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import uPlot from "uplot";
import { PlotController } from "./PlotController.js";
import uPlotCss from "uplot/dist/uPlot.min.css?inline";
import type { ReportRow } from "../../domain/reports/ownerReport.js";

const HEIGHT = 200;

/** Check-ins and waitlist demand by hour of the day (uPlot bars), with a text summary for screen readers. */
@customElement("hour-chart")
export class HourChart extends LitElement {
  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        min-height: ${HEIGHT + 30}px;
      }
    `,
  ];

  @property({ attribute: false }) rows: ReportRow[] = [];
  private readonly _chart = new PlotController(this, HEIGHT);

  override render() {
    const busiest = [...this.rows].sort((a, b) => b.checkedIn - a.checkedIn)[0];
    const label = busiest ? `Check-ins by hour; busiest ${busiest.label} with ${busiest.checkedIn}.` : "No classes in this period.";
    return html`<div class="plot" role="img" aria-label=${label}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("rows")) this._draw();
  }

  private _draw(): void {
    const target = this.renderRoot.querySelector<HTMLElement>(".plot");
    if (!target) return;
    const xs = this.rows.map((r) => Number(r.label.slice(0, 2)));
    const data: uPlot.AlignedData = [xs, this.rows.map((r) => r.checkedIn), this.rows.map((r) => r.waitlisted)];
    this._chart.plot?.destroy();
    const bars = uPlot.paths.bars!({ size: [0.6, 40] });
    this._chart.plot = new uPlot(
      {
        width: this._chart.width(),
        height: HEIGHT,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.5, 23.5] }, y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.1))] } },
        axes: [
          { label: "Hour", values: (_u, ticks) => ticks.map((t) => `${t}:00`) },
          { label: "People", size: 50 },
        ],
        series: [
          { label: "Hour" },
          { label: "Checked in", stroke: "#1f5fbf", fill: "rgba(31,95,191,0.6)", paths: bars, points: { show: false } },
          { label: "Waitlisted", stroke: "#d97706", width: 2, points: { show: true, size: 5 } },
        ],
      },
      data,
      target,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hour-chart": HourChart;
  }
}
