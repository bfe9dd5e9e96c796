import { LitElement, css, html, unsafeCSS, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import uPlot from "uplot";
import { PlotController } from "./PlotController.js";
import uPlotCss from "uplot/dist/uPlot.min.css?inline";
import type { AttendanceSeries } from "./types.js";

const HEIGHT = 220;

/** Booked vs checked in per day (uPlot), with a text summary for screen readers. Fixed height: no layout jump. */
@customElement("attendance-chart")
export class AttendanceChart extends LitElement {
  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        min-height: ${HEIGHT + 30}px;
      }
      .plot {
        height: ${HEIGHT + 30}px;
      }
    `,
  ];

  @property({ attribute: false }) days: AttendanceSeries["days"] = [];
  private readonly _chart = new PlotController(this, HEIGHT);

  override render() {
    const booked = this.days.reduce((n, d) => n + d.booked, 0);
    const here = this.days.reduce((n, d) => n + d.checkedIn, 0);
    const label = `Attendance, last ${this.days.length} days: ${here} check-ins of ${booked} bookings.`;
    return html`<div class="plot" role="img" aria-label=${label}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("days")) this._draw();
  }

  private _draw(): void {
    const target = this.renderRoot.querySelector<HTMLElement>(".plot");
    if (!target) return;
    const xs = this.days.map((d) => Date.parse(`${d.date}T12:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, this.days.map((d) => d.booked), this.days.map((d) => d.checkedIn)];
    if (this._chart.plot) {
      this._chart.plot.setData(data);
      return;
    }
    this._chart.plot = new uPlot(
      {
        width: this._chart.width(),
        height: HEIGHT,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.1))] } },
        axes: [{}, { label: "People", size: 50 }],
        series: [
          { label: "Day" },
          { label: "Booked", stroke: "#8fb5f0", fill: "rgba(143,181,240,0.25)", width: 2 },
          { label: "Checked in", stroke: "#1f5fbf", width: 2.5, points: { show: true, size: 5 } },
        ],
      },
      data,
      target,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "attendance-chart": AttendanceChart;
  }
}
