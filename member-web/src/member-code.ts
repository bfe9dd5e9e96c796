import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { errorMessage } from "../../domain/client/index.js";
import { IntervalController } from "../../web/shared/IntervalController.js";
import "./checkin-qr.js";
import type { Send } from "./types.js";

/** Refresh this long before the code expires, so the desk never scans a stale one. */
const REFRESH_EARLY_MS = 10_000;
const MIN_REFRESH_MS = 5_000;

/** My check-in code: a signed, rotating code shown as a QR, refreshed before it expires. */
@customElement("member-code")
export class MemberCode extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      gap: 0.75rem;
    }
    checkin-qr {
      width: min(80vw, 18rem);
    }
    .stale checkin-qr {
      opacity: 0.35;
    }
    .hint {
      color: var(--muted, #5b6470);
      margin: 0;
    }
    .error {
      color: var(--danger, #b42318);
      font-weight: 600;
    }
    button {
      min-height: 2.75rem;
      padding: 0 1rem;
      border-radius: 0.6rem;
      border: 1px solid var(--accent, #127a52);
      background: #fff;
      color: var(--accent-ink, #0b5a3c);
      font: inherit;
      font-weight: 600;
    }
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
  `;

  @property({ attribute: false }) send: Send | undefined;
  @property() userRoom: RoomId | "" = "";
  @property({ type: Boolean }) online = false;
  @property() name = "";
  @state() private _code: { code: string; expiresAt: number } | null = null;
  @state() private _error = "";
  @state() private _now = Date.now();
  private _refresh: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    new IntervalController(this, 1_000, () => (this._now = Date.now()));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._refresh);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const becameReady =
      (changed.has("online") || changed.has("send") || changed.has("userRoom")) && this.online && this.send && this.userRoom;
    if (becameReady && (!this._code || this._code.expiresAt - Date.now() < REFRESH_EARLY_MS)) void this._fetch();
  }

  override render() {
    const expired = !this._code || this._code.expiresAt <= this._now;
    const stale = !this.online || expired;
    const seconds = this._code ? Math.max(0, Math.ceil((this._code.expiresAt - this._now) / 1000)) : 0;
    return html`<h2>My check-in code</h2>
      <div class=${stale ? "stale" : ""}>
        ${
          this._code
            ? html`<checkin-qr .value=${this._code.code} label="Check-in QR code${this.name ? ` for ${this.name}` : ""}"></checkin-qr>`
            : html`<p class="hint" role="status">${this.online ? "Getting your code…" : "Offline — reconnecting to get your code."}</p>`
        }
      </div>
      <p class="hint">Show this at the front desk or hold it to the scanner.</p>
      <p class="hint" aria-live="polite" data-testid="code-status">
        ${
          !this.online
            ? "Offline — this code may have expired; it refreshes when you're back online."
            : expired
              ? "Refreshing your code…"
              : `Refreshes automatically · valid ${seconds} s`
        }
      </p>
      ${
        this._error
          ? html`<p class="error" role="alert">${this._error}</p>
            <button ?disabled=${!this.online} @click=${this._onRetry}>Try again</button>`
          : ""
      }`;
  }

  private async _fetch() {
    clearTimeout(this._refresh);
    if (!this.send || !this.userRoom) return;
    const ack = await this.send<{ code: string; expiresAt: number }>(this.userRoom, "user:checkInCode", {});
    if (!this.isConnected) return;
    if (!ack.ok) {
      this._error = errorMessage(ack.error);
      return;
    }
    this._error = "";
    this._code = ack.result;
    const wait = Math.max(MIN_REFRESH_MS, ack.result.expiresAt - Date.now() - REFRESH_EARLY_MS);
    this._refresh = setTimeout(() => void this._fetch(), wait);
  }

  private _onRetry() {
    void this._fetch();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-code": MemberCode;
  }
}
