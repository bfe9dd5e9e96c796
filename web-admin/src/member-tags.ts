import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorWithFields } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { shared } from "./styles.js";
import type { MemberProfile } from "./types.js";

/** Most tags a member carries (the protocol's cap). */
const MAX_TAGS = 20;

/**
 * A member's tags: each with a remove button, and a box to add one (`gym:tagMember { add }` / `{ remove }`: one step, so
 * staff tagging at once keep each other's tags). Without `editable` only the tags show. Fires `member-saved`.
 */
@customElement("member-tags")
export class MemberTags extends LitElement {
  static override styles = [
    shared,
    css`
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        list-style: none;
        padding: 0;
        margin: 0 0 0.5rem;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 0.2rem;
        background: #eef1f5;
        border-radius: 1rem;
        padding: 0.1rem 0.2rem 0.1rem 0.6rem;
      }
      li button {
        min-height: 1.8rem;
        padding: 0 0.5rem;
        border-radius: 1rem;
      }
      form {
        display: flex;
        gap: 0.5rem;
        align-items: end;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property({ attribute: false }) profile!: MemberProfile;
  @property({ type: Boolean }) editable = false;
  @state() private _error = "";
  @state() private _busy = false;

  override render() {
    const { tags, name } = this.profile;
    return html`${
      tags.length === 0
        ? html`<p class="muted">No tags.</p>`
        : html`<ul aria-label="Tags">
          ${tags.map(
            (t) => html`<li data-tag=${t}>
              ${t}
              ${
                this.editable
                  ? html`<button type="button" ?disabled=${this._busy} aria-label="Remove tag ${t}" @click=${() =>
                      this._save({ remove: [t] }, `Tag “${t}” removed from ${name}.`)}>×</button>`
                  : nothing
              }
            </li>`,
          )}
        </ul>`
    }
      ${
        this.editable
          ? html`<form @submit=${this._onAdd} aria-label="Add a tag">
            <label>New tag <input name="tag" maxlength="40" required autocomplete="off" /></label>
            <button type="submit" ?disabled=${this._busy || tags.length >= MAX_TAGS}>Add tag</button>
          </form>`
          : nothing
      }
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}`;
  }

  private async _onAdd(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const tag = String(new FormData(form).get("tag") ?? "").trim();
    const tags = this.profile.tags;
    if (!tag) return;
    if (tags.some((t) => t.toLowerCase() === tag.toLowerCase())) {
      this._error = `${this.profile.name} is already tagged “${tag}”.`;
      return;
    }
    if (await this._save({ add: [tag] }, `Tagged ${this.profile.name} “${tag}”.`)) form.reset();
  }

  /** One step (add or remove), never the whole list: another tab's tag saved meanwhile stays. */
  private async _save(step: { add: string[] } | { remove: string[] }, done: string): Promise<boolean> {
    this._busy = true;
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:tagMember", { memberId: this.profile.memberId, ...step });
    this._busy = false;
    if (!ack.ok) {
      this._error = errorWithFields(ack.error);
      return false;
    }
    this._error = "";
    toasts.success(done);
    this.dispatchEvent(new CustomEvent("member-saved", { bubbles: true, composed: true }));
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-tags": MemberTags;
  }
}
