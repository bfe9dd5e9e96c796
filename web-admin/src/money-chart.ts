import { LitElement, css, html, unsafeCSS, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import uPlot from "uplot";
import { PlotController } from "./PlotController.js";
import uPlotCss from "uplot/dist/uPlot.min.css?inline";
import type { OwnerReport } from "../../domain/reports/ownerReport.js";
import { formatMoney } from "../../web/shared/format.js";

const HEIGHT = 220;

type Week = OwnerReport["moneyByWeek"][number];

/** Fees and sales by week from the ledger (uPlot): sales, dues, class fees and what was paid, with a text summary. */
@customElement("money-chart")
export class MoneyChart extends LitElement {
  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        min-height: ${HEIGHT + 30}px;
      }
    `,
  ];

  @property({ attribute: false }) weeks: Week[] = [];
  @property() currency = "EUR";
  private readonly _chart = new PlotController(this, HEIGHT);

  override render() {
    const charged = this.weeks.reduce((n, w) => n + w.salesCents + w.duesCents + w.feesCents, 0);
    const paid = this.weeks.reduce((n, w) => n + w.paidCents, 0);
    const label = this.weeks.length
      ? `Money by week, ${this.weeks.length} weeks: ${formatMoney(charged, this.currency)} charged, ${formatMoney(paid, this.currency)} paid.`
      : "No money moved in this period.";
    return html`<div class="plot" role="img" aria-label=${label}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("weeks") || changed.has("currency")) this._draw();
  }

  private _draw(): void {
    const target = this.renderRoot.querySelector<HTMLElement>(".plot");
    if (!target) return;
    const xs = this.weeks.map((w) => Date.parse(`${w.week}T12:00:00Z`) / 1000);
    const money = (pick: (w: Week) => number) => this.weeks.map((w) => pick(w) / 100);
    const data: uPlot.AlignedData = [
      xs,
      money((w) => w.salesCents),
      money((w) => w.duesCents),
      money((w) => w.feesCents),
      money((w) => w.paidCents),
    ];
    this._chart.plot?.destroy();
    const value = (_u: uPlot, v: number | null) => (v === null ? "—" : formatMoney(Math.round(v * 100), this.currency));
    this._chart.plot = new uPlot(
      {
        width: this._chart.width(),
        height: HEIGHT,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(10, Math.ceil(max * 1.1))] } },
        axes: [{}, { label: this.currency, size: 60 }],
        series: [
          { label: "Week of" },
          { label: "Sales", stroke: "#1f5fbf", width: 2, value },
          { label: "Dues", stroke: "#0f766e", width: 2, value },
          { label: "Class fees", stroke: "#d97706", width: 2, value },
          { label: "Paid", stroke: "#111827", width: 2.5, dash: [6, 4], value },
        ],
      },
      data,
      target,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "money-chart": MoneyChart;
  }
}
