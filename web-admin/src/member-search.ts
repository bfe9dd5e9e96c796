import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { shared } from "./styles.js";
import type { MemberHit } from "./types.js";
import { errorMessage } from "../../web/shared/messages.js";

/**
 * Search as you type (debounced) over the gym's members, as an accessible combobox: ↑/↓ move,
 * Enter picks, Esc clears. Fires `member-picked` with the hit.
 */
@customElement("member-search")
export class MemberSearch extends LitElement {
  static override styles = [
    shared,
    css`
      input {
        width: 100%;
        font-size: var(--search-font-size, inherit);
        min-height: var(--search-min-height, 2.25rem);
      }
      ul {
        list-style: none;
        margin: 0.25rem 0 0;
        padding: 0;
        min-height: var(--results-min-height, 0);
      }
      li {
        padding: 0.5rem;
        border-radius: 0.4rem;
        cursor: pointer;
        display: flex;
        justify-content: space-between;
        gap: 1rem;
      }
      li[aria-selected="true"] {
        background: #e6eefb;
        outline: 2px solid #1f5fbf;
      }
      .meta {
        font-size: 0.8rem;
        color: #4a5160;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() label = "Search members";
  @property({ type: Boolean }) disabled = false;
  /** Offline: search this instead of asking the server (the desk's saved member list). */
  @property({ attribute: false }) localSearch: ((q: string) => MemberHit[]) | null = null;
  @state() private _q = "";
  @state() private _hits: MemberHit[] = [];
  @state() private _active = 0;
  @state() private _message = "";
  @query("input") private _input!: HTMLInputElement;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _asked = 0;

  override focus(): void {
    this._input?.focus();
  }

  clear(): void {
    this._q = "";
    this._hits = [];
    this._message = "";
  }

  override render() {
    const open = this._hits.length > 0;
    return html`<label
        >${this.label}
        <input
          type="search"
          role="combobox"
          aria-expanded=${open}
          aria-controls="hits"
          aria-activedescendant=${open ? `hit-${this._active}` : ""}
          autocomplete="off"
          placeholder="Name, email or phone"
          .value=${this._q}
          ?disabled=${this.disabled}
          @input=${this._onInput}
          @keydown=${this._onKey}
      /></label>
      <ul id="hits" role="listbox" aria-label="Matching members">
        ${this._hits.map(
          (
            m,
            i,
          ) => html`<li id="hit-${i}" role="option" aria-selected=${i === this._active} data-member=${m.memberId} @click=${() => this._pick(m)}>
            <span>${m.name}${m.email ? html`<span class="meta"> · ${m.email}</span>` : nothing}</span>
            <span class="meta">${m.status.replace("_", " ")}${m.planName ? ` · ${m.planName}` : ""}</span>
          </li>`,
        )}
      </ul>
      ${this._message ? html`<p class="muted" role="status">${this._message}</p>` : nothing}`;
  }

  private _onInput(e: Event): void {
    this._q = (e.target as HTMLInputElement).value;
    clearTimeout(this._timer);
    if (this._q.trim().length < 2) {
      this._hits = [];
      this._message = "";
      return;
    }
    this._timer = setTimeout(() => void this._search(this._q.trim()), 150);
  }

  private async _search(q: string): Promise<void> {
    const ticket = ++this._asked;
    const offline = this.client.connection.status !== "connected" && this.localSearch;
    const ack = offline
      ? { ok: true as const, result: { members: offline(q) } }
      : await this.client.command<{ members: MemberHit[] }>(`gym:${this.gymId}`, "gym:searchMembers", { q });
    if (ticket !== this._asked) return; // a newer search is on its way
    if (!ack.ok) {
      this._hits = [];
      this._message = errorMessage(ack.error);
      return;
    }
    this._hits = ack.result.members;
    this._active = 0;
    this._message = this._hits.length ? "" : `Nobody matches "${q}".`;
  }

  private _onKey(e: KeyboardEvent): void {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = this._hits.length;
      if (n) this._active = (this._active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
    } else if (e.key === "Enter") {
      e.preventDefault();
      const hit = this._hits[this._active];
      if (hit) this._pick(hit);
    } else if (e.key === "Escape") this.clear();
  }

  private _pick(m: MemberHit): void {
    this.dispatchEvent(new CustomEvent<MemberHit>("member-picked", { detail: m, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-search": MemberSearch;
  }
}
