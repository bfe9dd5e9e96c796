import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorWithFields } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { fieldGrid, shared } from "./styles.js";
import type { MemberProfile } from "./types.js";

const Fields = ["name", "phone", "birthday", "emergencyContact", "notes"] as const;

/**
 * Edit a member's details (`gym:updateMember`): only the fields that changed are sent. Fires `member-saved`; a refusal
 * stays on the form in words (with the field it names), so nothing typed is lost.
 */
@customElement("member-details-form")
export class MemberDetailsForm extends LitElement {
  static override styles = [shared, fieldGrid];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property({ attribute: false }) profile!: MemberProfile;
  @state() private _error = "";
  @state() private _busy = false;

  override render() {
    const p = this.profile;
    return html`<form @submit=${this._onSubmit} aria-label="Edit ${p.name}'s details">
      <div class="fields">
        <label>Name <input name="name" required maxlength="200" .value=${p.name} autocomplete="off" /></label>
        <label>Phone <input name="phone" type="tel" maxlength="40" .value=${p.phone ?? ""} autocomplete="off" /></label>
        <label>Birthday <input name="birthday" type="date" .value=${p.birthday ?? ""} /></label>
        <label>Emergency contact <input name="emergencyContact" maxlength="200" .value=${p.emergencyContact} /></label>
      </div>
      <label>Notes (staff only) <textarea name="notes" maxlength="2000" rows="2" .value=${p.notes}></textarea></label>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      <p>
        <button class="primary" type="submit" ?disabled=${this._busy}>Save details</button>
        <button type="button" @click=${this._onCancel}>Cancel</button>
      </p>
    </form>`;
  }

  private _onCancel(): void {
    this.dispatchEvent(new CustomEvent("member-edit-cancelled", { bubbles: true, composed: true }));
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const p = this.profile;
    const before: Record<(typeof Fields)[number], string> = {
      name: p.name,
      phone: p.phone ?? "",
      birthday: p.birthday ?? "",
      emergencyContact: p.emergencyContact,
      notes: p.notes,
    };
    const change: Record<string, string> = {};
    for (const f of Fields) {
      const now = String(data.get(f) ?? "").trim();
      // A birthday can be corrected but not removed here (the protocol takes a date or nothing).
      if (now !== before[f] && !(f === "birthday" && now === "")) change[f] = now;
    }
    if (Object.keys(change).length === 0) {
      this._error = "Nothing changed.";
      return;
    }
    this._busy = true;
    const ack = await this.client.command<{ memberId: string }>(`gym:${this.gymId}`, "gym:updateMember", {
      memberId: p.memberId,
      ...change,
    });
    this._busy = false;
    if (!ack.ok) {
      this._error = errorWithFields(ack.error);
      return;
    }
    this._error = "";
    toasts.success(`${change.name ?? p.name}'s details saved.`);
    this.dispatchEvent(new CustomEvent("member-saved", { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-details-form": MemberDetailsForm;
  }
}
