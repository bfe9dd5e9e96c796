import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { LeadSources, type LeadLine } from "../../domain/leads/pipeline.js";
import { toasts } from "../../web/shared/toasts.js";
import { SourceLabels } from "./lead-add-form.js";
import { shared } from "./styles.js";

/** Edit a lead's details: name, contact, source, interest, owner (keep, me, nobody), next follow-up, a lost lead's reason. Fires `lead-saved`. */
@customElement("lead-edit-form")
export class LeadEditForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property({ attribute: false }) lead!: LeadLine;
  @property({ attribute: false }) me!: { userId: string; name: string };
  @state() private _busy = false;

  override render() {
    const l = this.lead;
    const mine = l.ownerId === this.me.userId;
    return html`<form @submit=${this._onSubmit} aria-label="Edit lead">
      <label>Name <input name="name" required maxlength="200" .value=${l.name} /></label>
      <label>Email <input name="email" type="email" maxlength="320" .value=${l.email ?? ""} /></label>
      <label>Phone <input name="phone" type="tel" maxlength="40" .value=${l.phone ?? ""} /></label>
      <label
        >Source
        <select name="source">
          ${LeadSources.map((s) => html`<option value=${s} ?selected=${l.source === s}>${SourceLabels[s]}</option>`)}
        </select></label
      >
      <label>Interested in <input name="interest" maxlength="500" .value=${l.interest} /></label>
      <label
        >Owner
        <select name="owner">
          ${l.ownerId && !mine ? html`<option value="keep" selected>${l.ownerName ?? "Someone else"}</option>` : nothing}
          <option value="me" ?selected=${mine}>Me (${this.me.name})</option>
          <option value="nobody" ?selected=${!l.ownerId}>Nobody</option>
        </select></label
      >
      <label>Next follow-up <input name="followUpOn" type="date" .value=${l.followUpOn ?? ""} /></label>
      ${l.stage === "lost" ? html`<label>Why it was lost <input name="lostReason" required maxlength="300" .value=${l.lostReason} /></label>` : nothing}
      <p><button type="submit" ?disabled=${this._busy}>Save details</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const owner = text("owner");
    const payload = {
      leadId: this.lead.leadId,
      name: text("name"),
      source: text("source"),
      interest: text("interest"),
      followUpOn: text("followUpOn") || null,
      ...(text("email") ? { email: text("email") } : {}),
      ...(text("phone") ? { phone: text("phone") } : {}),
      ...(owner === "me" ? { ownerId: this.me.userId } : owner === "nobody" ? { ownerId: null } : {}),
      ...(this.lead.stage === "lost" ? { lostReason: text("lostReason") } : {}),
    };
    this._busy = true;
    const ack = await this.client.command<{ leadId: string }>(`gym:${this.gymId}`, "gym:saveLead", payload);
    this._busy = false;
    if (toasts.fromAck(ack, `${payload.name} saved.`) && ack.ok)
      this.dispatchEvent(new CustomEvent("lead-saved", { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "lead-edit-form": LeadEditForm;
  }
}
