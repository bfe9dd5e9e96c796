import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { shared } from "./styles.js";
import { toasts } from "../../web/shared/toasts.js";

/** Create a class type (name, colour, description). Fires `class-type-created` with `{ id, name }`. */
@customElement("class-type-form")
export class ClassTypeForm extends LitElement {
  static override styles = shared;

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;

  override render() {
    const f = this._fields;
    return html`<form @submit=${this._onSubmit} aria-label="New class type">
      <h2>New class type</h2>
      <div class="row">
        <label>Name <input name="name" required maxlength="80" aria-invalid=${Boolean(f.name)} /></label>
        <label>Colour <input name="color" type="color" value="#1f5fbf" /></label>
      </div>
      ${f.name ? html`<p role="alert" class="muted">${f.name}</p>` : ""}
      <label>Description <textarea name="description" maxlength="2000"></textarea></label>
      <p><button class="primary" type="submit" ?disabled=${this._busy}>Create class type</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    this._busy = true;
    const ack = await this.client.command<{ classTypeId?: string; id?: string }>(`gym:${this.gymId}`, "schedule:createClassType", {
      name,
      description: String(data.get("description") ?? "").trim(),
      color: String(data.get("color") ?? "#1f5fbf"),
    });
    this._busy = false;
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    if (!toasts.fromAck(ack, `Class type "${name}" created.`) || !ack.ok) return;
    form.reset();
    const id = ack.result?.classTypeId ?? ack.result?.id;
    if (id) this.dispatchEvent(new CustomEvent("class-type-created", { detail: { id, name }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "class-type-form": ClassTypeForm;
  }
}
