import { html, svg, type TemplateResult } from "lit";
import { correction, generate } from "lean-qr";
import { toSvgPath } from "lean-qr/extras/svg";

/** An authenticator app's `otpauth://` URI as a QR code to scan (200 px, with its quiet zone). */
export function totpQr(uri: string): TemplateResult {
  const qr = generate(uri, { minCorrectionLevel: correction.M });
  return html`<svg viewBox="-4 -4 ${qr.size + 8} ${qr.size + 8}" width="200" height="200" role="img" aria-label="QR code for your authenticator app">
    <rect x="-4" y="-4" width=${qr.size + 8} height=${qr.size + 8} fill="#fff" />${svg`<path d=${toSvgPath(qr)} fill="#000" />`}
  </svg>`;
}
