import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { GymPolicy } from "../../domain/model.js";
import "./gym-catalog.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";

type Setting = { key: keyof GymPolicy; label: string; unit: "min" | "cents" | "count" };
const Settings: Setting[] = [
  { key: "bookingOpensMinutes", label: "Booking opens (minutes before start)", unit: "min" },
  { key: "bookingClosesMinutes", label: "Booking closes (minutes before start)", unit: "min" },
  { key: "lateCancelMinutes", label: "Late-cancel cut-off (minutes before start)", unit: "min" },
  { key: "lateCancelFeeCents", label: "Late-cancel fee (cents)", unit: "cents" },
  { key: "noShowFeeCents", label: "No-show fee (cents)", unit: "cents" },
  { key: "waitlistLimit", label: "Waitlist limit (0 = no waitlist)", unit: "count" },
  { key: "autoPromoteCutoffMinutes", label: "Auto-promotion stops (minutes before start)", unit: "min" },
  { key: "offerClaimMinutes", label: "Offer claim time (minutes)", unit: "min" },
  { key: "checkInOpensMinutes", label: "Check-in opens (minutes before start)", unit: "min" },
  { key: "checkInClosesMinutes", label: "Check-in closes (minutes after start)", unit: "min" },
];

/** Owners and admins change the gym's booking, fee, waitlist and check-in settings; says which classes a change reaches. */
@customElement("settings-screen")
export class SettingsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.5rem 1rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select,
      button {
        min-height: 2.5rem;
      }
      .rule {
        background: #eef3fb;
        padding: 0.6rem 0.75rem;
        border-radius: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _policy: GymPolicy | null = null;
  @state() private _fields: Record<string, string> = {};
  @state() private _error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const p = this._policy;
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    if (!p) return html`<p role="status">Loading settings…</p>`;
    return html`<h1>Settings</h1>
      <form class="card" @submit=${this._onSubmit} aria-label="Gym settings">
        <p class="rule" role="note">
          A change applies to classes scheduled from now on, on every screen at once. Classes already on the timetable keep
          their settings — edit a single class to change it.
        </p>
        <div class="fields">
          ${Settings.map(
            (s) => html`<label>${s.label}<input name=${s.key} type="number" min="0" required .value=${String(p[s.key])} />
              ${this._fields[s.key] ? html`<span role="alert" class="muted">${this._fields[s.key]}</span>` : nothing}</label>`,
          )}
          <label>When a spot frees up
            <select name="promotionMode">
              <option value="automatic" ?selected=${p.promotionMode === "automatic"}>Book the next in line</option>
              <option value="offer" ?selected=${p.promotionMode === "offer"}>Offer it to the next in line</option>
            </select>
          </label>
          <label>Waiver must be signed
            <select name="waiverRequired">
              <option value="off" ?selected=${(p.waiverRequired ?? "off") === "off"}>Not enforced (collect signatures only)</option>
              <option value="check_in" ?selected=${p.waiverRequired === "check_in"}>To check in</option>
              <option value="booking" ?selected=${p.waiverRequired === "booking"}>To book and to check in</option>
            </select>
          </label>
        </div>
        <p><button class="primary" type="submit">Save settings</button></p>
      </form>
      <gym-catalog .client=${this.client} gymId=${this.me.gymId} style="margin-top: 1.25rem"></gym-catalog>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const p = this._policy!;
    const change: Record<string, unknown> = {};
    for (const s of Settings) if (Number(data.get(s.key)) !== p[s.key]) change[s.key] = Number(data.get(s.key));
    if (data.get("promotionMode") !== p.promotionMode) change.promotionMode = data.get("promotionMode");
    // The waiver rule applies at once, to every class and the desk (it isn't copied into classes).
    if (data.get("waiverRequired") !== (p.waiverRequired ?? "off")) change.waiverRequired = data.get("waiverRequired");
    if (Object.keys(change).length === 0) return void toasts.success("Nothing changed.");
    const ack = await this.client.command<{ policy: GymPolicy; changed: string[] }>(`gym:${this.me.gymId}`, "gym:setPolicy", change);
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    if (toasts.fromAck(ack, "Settings saved — classes scheduled from now on use them.") && ack.ok) this._policy = ack.result.policy;
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<{ policy: GymPolicy }>(`gym:${this.me.gymId}`, "gym:me", {});
    if (ack.ok) this._policy = ack.result.policy;
    else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "settings-screen": SettingsScreen;
  }
}
