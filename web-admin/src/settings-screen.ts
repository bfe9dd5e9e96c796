import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { SettingPreview } from "../../domain/admin/settingsPreview.js";
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

/** How long the owner pauses typing before the preview asks the server again. */
const PreviewDelayMs = 300;

/**
 * Owners and admins change the gym's booking, fee, waitlist and check-in settings. While they edit, the screen says for
 * each changed setting which classes it reaches and how many (`gym:previewPolicy`), before anything is saved.
 */
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
        margin: 0 0 0.75rem;
      }
      .rule ul {
        margin: 0.3rem 0 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _policy: GymPolicy | null = null;
  @state() private _fields: Record<string, string> = {};
  @state() private _error = "";
  /** What the draft would change, per setting (null: not asked yet). */
  @state() private _preview: SettingPreview[] | null = null;
  private _previewTimer: ReturnType<typeof setTimeout> | undefined;
  /** Only the answer to the latest draft is shown (an older one may arrive after it). */
  private _previewAsked = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._previewTimer);
  }

  override render() {
    const p = this._policy;
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    if (!p) return html`<p role="status">Loading settings…</p>`;
    return html`<h1>Settings</h1>
      <form class="card" @submit=${this._onSubmit} @input=${this._onDraft} @change=${this._onDraft} aria-label="Gym settings">
        ${this._renderPreview()}
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

  private _renderPreview() {
    const changes = this._preview ?? [];
    return html`<section class="rule" role="status" aria-live="polite" aria-label="What this change does">
      ${
        changes.length === 0
          ? html`Change a setting to see which classes it reaches before you save: fees reach every class not yet closed, the
          waiver rule applies at once, the other settings apply to classes scheduled from now on.`
          : html`<strong>Before you save:</strong>
            <ul>
              ${changes.map((c) => html`<li data-setting=${c.setting}>${c.text}</li>`)}
            </ul>`
      }
    </section>`;
  }

  /** The settings the form changes against the saved policy; fields left empty are not part of the draft. */
  private _draft(form: HTMLFormElement): Record<string, unknown> {
    const data = new FormData(form);
    const p = this._policy!;
    const change: Record<string, unknown> = {};
    for (const s of Settings) {
      const raw = String(data.get(s.key) ?? "").trim();
      if (raw !== "" && Number(raw) !== p[s.key]) change[s.key] = Number(raw);
    }
    if (data.get("promotionMode") !== p.promotionMode) change.promotionMode = data.get("promotionMode");
    if (data.get("waiverRequired") !== (p.waiverRequired ?? "off")) change.waiverRequired = data.get("waiverRequired");
    return change;
  }

  private _onDraft(e: Event): void {
    const form = e.currentTarget as HTMLFormElement;
    clearTimeout(this._previewTimer);
    this._previewTimer = setTimeout(() => void this._askPreview(this._draft(form)), PreviewDelayMs);
  }

  private async _askPreview(draft: Record<string, unknown>): Promise<void> {
    const asked = ++this._previewAsked;
    if (Object.keys(draft).length === 0) {
      this._preview = [];
      this._fields = {};
      return;
    }
    const ack = await this.client.command<{ changes: SettingPreview[] }>(`gym:${this.me.gymId}`, "gym:previewPolicy", draft);
    if (asked !== this._previewAsked) return;
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    this._preview = ack.ok ? ack.result.changes : [];
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    clearTimeout(this._previewTimer);
    const change = this._draft(e.target as HTMLFormElement);
    if (Object.keys(change).length === 0) return void toasts.success("Nothing changed.");
    const ack = await this.client.command<{ policy: GymPolicy; changed: string[] }>(`gym:${this.me.gymId}`, "gym:setPolicy", change);
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    if (toasts.fromAck(ack, "Settings saved.") && ack.ok) {
      this._policy = ack.result.policy;
      this._previewAsked++;
      this._preview = [];
    }
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
