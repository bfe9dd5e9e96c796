import { LitElement, css, html, svg } from "lit";
import { customElement, property } from "lit/decorators.js";
import { correction, generate } from "lean-qr";
import { toSvgPath } from "lean-qr/extras/svg";

/** A QR code drawn as one SVG path (crisp at any size, no canvas). */
@customElement("checkin-qr")
export class CheckinQr extends LitElement {
  static override styles = css`
    :host {
      display: block;
      width: 100%;
      max-width: 18rem;
      aspect-ratio: 1;
      background: #fff;
      border-radius: 0.75rem;
      padding: 0.75rem;
      box-sizing: border-box;
    }
    svg {
      display: block;
      width: 100%;
      height: 100%;
    }
  `;

  /** The text to encode. */
  @property() value = "";
  /** What a screen reader says instead of the picture. */
  @property() label = "QR code";

  override render() {
    if (!this.value) return html``;
    const code = generate(this.value, { minCorrectionLevel: correction.M });
    return html`<svg role="img" aria-label=${this.label} viewBox="0 0 ${code.size} ${code.size}" shape-rendering="crispEdges">
      ${svg`<path d=${toSvgPath(code)} fill="#000" />`}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "checkin-qr": CheckinQr;
  }
}
