import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ConnectionState } from "../../domain/client/index.js";
import { onProtocolStanding, protocolStanding } from "./protocolCheck.js";

/**
 * Says, when it is true, that what is on screen may be stale: "Offline — reconnecting…", or that
 * the server refused the sign-in. Fixed overlay, so showing it never moves the page. When the server speaks another
 * protocol version than this app was built for (./protocolCheck.ts) it says so instead, large, with a Reload button:
 * "Spotter was updated — reload to continue" (nothing is blocked; the desk's offline queue waits in IndexedDB).
 *
 * @example
 * html`<offline-banner .connection=${this.conn.connection}></offline-banner>`
 */
@customElement("offline-banner")
export class OfflineBanner extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset: 0 0 auto 0;
      z-index: 999;
      pointer-events: none;
    }
    .bar {
      margin: 0 auto;
      width: fit-content;
      max-width: calc(100vw - 2rem);
      padding: 0.4rem 1rem;
      border-radius: 0 0 0.5rem 0.5rem;
      background: #7a1f1f;
      color: #fff;
      font-weight: 600;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
      pointer-events: auto;
    }
    .bar.connecting {
      background: #4a5160;
    }
    .bar.stale {
      background: #8a4b00;
      font-size: 1.35rem;
      padding: 0.8rem 1.4rem;
      display: flex;
      gap: 1rem;
      align-items: center;
    }
    .bar.stale button {
      font: inherit;
      padding: 0.3rem 1rem;
      border-radius: 0.4rem;
      border: 0;
      cursor: pointer;
    }
  `;

  @property({ attribute: false }) connection: ConnectionState = { status: "connecting", error: null };

  private stopStanding: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopStanding = onProtocolStanding(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopStanding?.();
  }

  override render() {
    if (protocolStanding() !== "current")
      return html`<div role="status" aria-live="polite">
        <div class="bar stale" data-status="stale">
          Spotter was updated — reload to continue <button @click=${() => location.reload()}>Reload</button>
        </div>
      </div>`;
    const { status, error } = this.connection;
    if (status === "connected") return html`<div role="status" aria-live="polite"></div>`;
    const text =
      status === "denied"
        ? `Signed out — ${error?.message ?? "please sign in again."}`
        : status === "connecting"
          ? "Connecting…"
          : "Offline — reconnecting…";
    return html`<div role="status" aria-live="polite"><div class="bar ${status}" data-status=${status}>${text}</div></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "offline-banner": OfflineBanner;
  }
}
