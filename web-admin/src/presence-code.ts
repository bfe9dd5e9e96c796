import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { errorMessage } from "../../web/shared/messages.js";
import { IntervalController } from "../../web/shared/IntervalController.js";

/** `gym:presenceCode`'s answer: the setting and the code the desk shows now. */
interface PresenceCode {
  selfCheckIn: boolean;
  code: string;
  changesAt: number;
  validUntil: number;
}

/**
 * Member self check-in on the front desk (issue 14 item 8): while the gym's setting is on, the rotating 6-digit code
 * members type in their app to prove they are here, in large type and fetched again as each 30 s window ends.
 * Owners and admins turn the setting on and off here.
 */
@customElement("presence-code")
export class PresenceCodePanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        margin-bottom: 1.25rem;
      }
      .code {
        font-size: 3.5rem;
        font-weight: 700;
        letter-spacing: 0.4rem;
        font-variant-numeric: tabular-nums;
        margin: 0.25rem 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _p: PresenceCode | undefined;
  @state() private _error = "";
  @state() private _now = Date.now();
  @state() private _busy = false;
  private _loading = false;

  constructor() {
    super();
    // Ticks the countdown; past the window's end the code is fetched again (the old one is still accepted meanwhile).
    new IntervalController(this, 1_000, () => {
      this._now = Date.now();
      if (this._p && this._now >= this._p.changesAt) void this._load();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const p = this._p;
    const canSwitch = this.me.role === "owner" || this.me.role === "admin";
    return html`<section class="card" aria-labelledby="presence-h">
      <h2 id="presence-h">Member self check-in</h2>
      ${
        p === undefined
          ? html`<p role="status">${this._error || "Loading…"}</p>`
          : p.selfCheckIn
            ? html`<p>Members check themselves in to a class they booked by typing this code in the Spotter app:</p>
              <p class="code" data-testid="presence-code" aria-label="Check-in code ${p.code.split("").join(" ")}">${p.code}</p>
              <p class="muted">New code in ${Math.max(0, Math.ceil((p.changesAt - this._now) / 1000))} s — the previous code still works for a little while.</p>`
            : html`<p>Off — members are checked in here at the desk (scan their code or find their name).</p>`
      }
      ${
        canSwitch && p
          ? html`<div class="row">
            <button ?disabled=${this._busy} @click=${() => void this._switch(!p.selfCheckIn)}>
              ${p.selfCheckIn ? "Turn off member self check-in" : "Turn on member self check-in"}
            </button>
            <span class="muted"
              >${
                p.selfCheckIn
                  ? "Turning it off means members can only be checked in at the desk."
                  : "When on, members can check themselves in from their phone with the code this screen shows, so only people in the gym can."
              }</span
            >
          </div>`
          : nothing
      }
      ${p && this._error ? html`<p role="alert">${this._error}</p>` : nothing}
    </section>`;
  }

  private async _load(): Promise<void> {
    if (this._loading) return;
    this._loading = true;
    try {
      const ack = await this.client.command<PresenceCode>(`gym:${this.me.gymId}`, "gym:presenceCode", {});
      if (ack.ok) {
        this._p = ack.result;
        this._error = "";
      } else this._error = errorMessage(ack.error);
    } finally {
      this._loading = false;
    }
  }

  private async _switch(enabled: boolean): Promise<void> {
    this._busy = true;
    try {
      const ack = await this.client.command<{ selfCheckIn: boolean }>(`gym:${this.me.gymId}`, "gym:setSelfCheckIn", { enabled });
      if (!ack.ok) this._error = errorMessage(ack.error);
      else await this._load();
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "presence-code": PresenceCodePanel;
  }
}
