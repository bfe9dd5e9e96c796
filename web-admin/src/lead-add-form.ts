import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { LeadSources, type LeadSource } from "../../domain/leads/pipeline.js";
import { fieldGrid, shared } from "./styles.js";
import { toasts } from "../../web/shared/toasts.js";

export const SourceLabels: Record<LeadSource, string> = {
  walk_in: "Walk-in",
  website: "Website form",
  referral: "Referral",
  social: "Social",
  other: "Other",
};

/** Add a lead (stage "new"); fires `lead-added { leadId }`. */
@customElement("lead-add-form")
export class LeadAddForm extends LitElement {
  static override styles = [shared, fieldGrid];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @state() private _busy = false;

  override render() {
    return html`<form @submit=${this._onSubmit} aria-label="Add a lead">
      <h2>Add a lead</h2>
      <div class="fields">
        <label>Name <input name="name" required maxlength="200" autocomplete="off" /></label>
        <label>Email <input name="email" type="email" maxlength="320" autocomplete="off" /></label>
        <label>Phone <input name="phone" type="tel" maxlength="40" autocomplete="off" /></label>
        <label
          >Source
          <select name="source">
            ${LeadSources.map((s) => html`<option value=${s}>${SourceLabels[s]}</option>`)}
          </select></label
        >
        <label>Interested in <input name="interest" maxlength="500" /></label>
        <label>Follow up on <input name="followUpOn" type="date" /></label>
      </div>
      <p><button class="primary" type="submit" ?disabled=${this._busy}>Add lead</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const optional = (name: string) => (text(name) ? { [name]: text(name) } : {});
    const payload = {
      name: text("name"),
      source: text("source"),
      ...optional("email"),
      ...optional("phone"),
      ...optional("interest"),
      ...optional("followUpOn"),
    };
    this._busy = true;
    const ack = await this.client.command<{ leadId: string }>(`gym:${this.gymId}`, "gym:saveLead", payload);
    this._busy = false;
    if (!toasts.fromAck(ack, `${payload.name} added to the pipeline.`) || !ack.ok) return;
    form.reset();
    this.dispatchEvent(new CustomEvent("lead-added", { detail: ack.result, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "lead-add-form": LeadAddForm;
  }
}
