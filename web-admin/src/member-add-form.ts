import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { href } from "./router.js";
import { fieldGrid, shared } from "./styles.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";

/** Add a member at the desk; a likely duplicate links to the existing profile (same phone: "Add anyway"). Fires `member-added`. */
@customElement("member-add-form")
export class MemberAddForm extends LitElement {
  static override styles = [shared, fieldGrid];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @state() private _duplicate: { message: string; memberId: string; phoneOnly: boolean } | null = null;
  @state() private _busy = false;

  override render() {
    const d = this._duplicate;
    return html`<form @submit=${this._onSubmit} aria-label="Add a member">
      <h2>Add a member</h2>
      <div class="fields">
        <label>Name <input name="name" required maxlength="200" autocomplete="off" /></label>
        <label>Email <input name="email" type="email" required maxlength="320" autocomplete="off" /></label>
        <label>Phone <input name="phone" type="tel" maxlength="40" autocomplete="off" /></label>
        <label>Birthday <input name="birthday" type="date" /></label>
        <label>Emergency contact <input name="emergencyContact" maxlength="200" /></label>
        <label>Tags <input name="tags" placeholder="comma, separated" maxlength="400" /></label>
      </div>
      <label>Notes (staff only) <input name="notes" maxlength="2000" /></label>
      ${
        d
          ? html`<p role="alert">${d.message} <a href=${href({ name: "members", id: d.memberId })}>Open their profile</a>
            ${d.phoneOnly ? html`<button type="button" @click=${() => this._add(true)}>Add anyway</button>` : nothing}</p>`
          : nothing
      }
      <p><button class="primary" type="submit" ?disabled=${this._busy}>Add member</button></p>
    </form>`;
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    void this._add(false);
  }

  private async _add(allowDuplicate: boolean): Promise<void> {
    const form = this.renderRoot.querySelector("form")!;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const optional = (name: string) => (text(name) ? { [name]: text(name) } : {});
    const tags = text("tags")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const payload = {
      name: text("name"),
      email: text("email"),
      ...optional("phone"),
      ...optional("birthday"),
      ...optional("emergencyContact"),
      ...optional("notes"),
      ...(tags.length ? { tags } : {}),
      ...(allowDuplicate ? { allowDuplicate: true } : {}),
    };
    this._busy = true;
    const ack = await this.client.command<{ memberId: string }>(`gym:${this.gymId}`, "gym:addMember", payload);
    this._busy = false;
    if (!ack.ok && ack.error.code === "DUPLICATE_MEMBER") {
      const f = ack.error.fields ?? {};
      this._duplicate = { message: errorMessage(ack.error), memberId: f.duplicateOf ?? "", phoneOnly: !("email" in f) };
      return;
    }
    this._duplicate = null;
    if (!toasts.fromAck(ack, `${payload.name} added.`) || !ack.ok) return;
    form.reset();
    this.dispatchEvent(new CustomEvent("member-added", { detail: ack.result, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-add-form": MemberAddForm;
  }
}
