import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";

/** One number that matters today, with its label and an optional hint. */
@customElement("kpi-card")
export class KpiCard extends LitElement {
  static override styles = css`
    :host {
      display: block;
      background: #fff;
      border-radius: 0.75rem;
      padding: 0.85rem 1rem;
      box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
      min-height: 5.5rem;
    }
    .value {
      font-size: 1.9rem;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
      line-height: 1.1;
    }
    .label {
      font-size: 0.8rem;
      color: #4a5160;
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    .hint {
      font-size: 0.75rem;
      color: #4a5160;
    }
  `;

  @property() label = "";
  @property() value = "";
  @property() hint = "";

  override render() {
    return html`<div class="label" id="l">${this.label}</div>
      <div class="value" aria-describedby="l" data-kpi=${this.label}>${this.value}</div>
      ${this.hint ? html`<div class="hint">${this.hint}</div>` : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "kpi-card": KpiCard;
  }
}
