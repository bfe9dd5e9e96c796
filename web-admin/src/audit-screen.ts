import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { AuditActions, auditSentence } from "./auditText.js";
import { shared } from "./styles.js";
import type { AuditEntry, AuditPage, StaffMe } from "./types.js";
import { formatWhen } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";

/** Owners and admins: the gym's audit trail in sentences, newest first, filtered by what and who, a page at a time. */
@customElement("audit-screen")
export class AuditScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      ol {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
      }
      li {
        padding: 0.5rem 0;
        border-bottom: 1px solid #eceff3;
        overflow-wrap: anywhere;
      }
      .when {
        display: block;
        font-size: 0.8rem;
        color: #4a5160;
      }
      details {
        font-size: 0.8rem;
        color: #4a5160;
      }
      code {
        font-size: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _rows: AuditEntry[] = [];
  @state() private _next: number | null = null;
  @state() private _action = "";
  @state() private _actor = "";
  @state() private _error = "";
  @state() private _loading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load(false);
  }

  override render() {
    const tz = this.me.timeZone;
    return html`
      <h1>Audit</h1>
      <div class="filters" role="search" aria-label="Filter the audit trail">
        <label
          >What
          <select id="action" @change=${this._onAction}>
            <option value="">Everything</option>
            ${AuditActions.map((a) => html`<option value=${a.action} ?selected=${a.action === this._action}>${a.label}</option>`)}
          </select></label
        >
        <label
          >Who
          <select id="actor" @change=${this._onActor}>
            <option value="">Anyone</option>
            ${this._actors().map(([id, name]) => html`<option value=${id} ?selected=${id === this._actor}>${name}</option>`)}
          </select></label
        >
      </div>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      <section class="card">
        ${
          this._rows.length === 0 && !this._loading
            ? html`<p class="muted">Nothing recorded${this._action || this._actor ? " for these filters" : ""}.</p>`
            : html`<ol aria-label="Audit trail, newest first">
              ${this._rows.map(
                (r) => html`<li data-seq=${r.seq}>
                  <span class="sentence">${auditSentence(r, tz)}.</span>
                  <span class="when">${formatWhen(r.at, tz)}</span>
                  <details>
                    <summary>Record #${r.seq}</summary>
                    <code>${r.action}</code> · ${r.entityType.replace("_", " ")} · hash <code title=${r.hash}>${r.hash.slice(0, 10)}</code>
                  </details>
                </li>`,
              )}
            </ol>`
        }
        ${this._next !== null ? html`<button ?disabled=${this._loading} @click=${this._onMore}>Load older</button>` : nothing}
        ${this._loading ? html`<p role="status">Loading…</p>` : nothing}
      </section>
    `;
  }

  private _onAction(e: Event): void {
    this._action = (e.target as HTMLSelectElement).value;
    void this._load(false);
  }

  private _onActor(e: Event): void {
    this._actor = (e.target as HTMLSelectElement).value;
    void this._load(false);
  }

  /** Staff seen in the trail so far (and the one picked), by name. */
  private _actors(): Array<[string, string]> {
    const seen = new Map<string, string>();
    for (const r of this._rows) if (r.actorId && r.actorName && r.role && r.role !== "member") seen.set(r.actorId, r.actorName);
    if (this._actor && !seen.has(this._actor)) seen.set(this._actor, "Selected person");
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]));
  }

  private _onMore(): void {
    void this._load(true);
  }

  private async _load(more: boolean): Promise<void> {
    const action = this._action;
    const actor = this._actor;
    this._loading = true;
    this._error = "";
    const ack = await this.client.command<AuditPage>(`gym:${this.me.gymId}`, "gym:auditLog", {
      limit: 50,
      ...(more && this._next !== null ? { beforeSeq: this._next } : {}),
      ...(action ? { action } : {}),
      ...(actor ? { actorId: actor } : {}),
    });
    this._loading = false;
    if (action !== this._action || actor !== this._actor) return;
    if (!ack.ok) {
      this._error = errorMessage(ack.error);
      return;
    }
    this._rows = more ? [...this._rows, ...ack.result.rows] : ack.result.rows;
    this._next = ack.result.nextBeforeSeq;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "audit-screen": AuditScreen;
  }
}
