import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { LeadBoard } from "../../domain/leads/pipeline.js";
import { toasts } from "../../web/shared/toasts.js";
import { shared } from "./styles.js";

/** Owners and admins: the public trial form — on or off, its link, and the sites that may embed it. */
@customElement("trial-form-settings")
export class TrialFormSettings extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.5rem;
      }
      code {
        word-break: break-all;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property({ attribute: false }) form: LeadBoard["trialForm"] = null;
  @state() private _busy = false;

  override render() {
    const link = `${location.origin}/trial/${this.gymId}`;
    return html`<form @submit=${this._onSubmit} aria-label="Trial form">
      <h2>Free-trial form</h2>
      <label><input type="checkbox" name="enabled" ?checked=${this.form?.enabled ?? false} /> People can book a free trial class on the gym's page</label>
      <p class="muted">Link: <a href=${link} target="_blank" rel="noopener"><code>${link}</code></a></p>
      <label
        >Sites that may embed it (one per line)
        <textarea name="origins" rows="2" placeholder="https://yourgym.com">${(this.form?.embedOrigins ?? []).join("\n")}</textarea></label
      >
      <p><button type="submit" ?disabled=${this._busy}>Save trial form</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const embedOrigins = String(data.get("origins") ?? "")
      .split(/\s+/)
      .map((o) => o.trim())
      .filter(Boolean);
    this._busy = true;
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:setTrialForm", { enabled: data.get("enabled") === "on", embedOrigins });
    this._busy = false;
    toasts.fromAck(ack, "Trial form saved.");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "trial-form-settings": TrialFormSettings;
  }
}
