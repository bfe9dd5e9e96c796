import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { shared } from "./styles.js";
import type { AuditEntry, AuditPage, StaffMe } from "./types.js";
import { formatWhen } from "./ui/format.js";
import { errorMessage } from "./ui/messages.js";

/** Actions staff filter by most; any other is still shown. */
const Actions = ["class:book", "class:cancelBooking", "class:checkIn", "class:setCapacity", "class:cancel", "gym:checkIn", "schedule:createSession", "gym:createChallenge", "gym:searchMembers", "gym:memberProfile", "export:members.csv"];

/** "status: booked → cancelled" for what changed; "created" fields when there was nothing before. */
function changeText(summary: AuditEntry["summary"]): string {
  const { before, after } = summary;
  if (!before && after) return Object.entries(after).map(([k, v]) => `${k}: ${String(v)}`).join(", ");
  if (before && !after) return "removed";
  if (!before || !after) return "";
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return changed.length ? changed.map((k) => `${k}: ${String(before[k])} → ${String(after[k])}`).join(", ") : "no change";
}

/** Owners and admins: the gym's audit trail, newest first, filtered by action, a page at a time. */
@customElement("audit-screen")
export class AuditScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .filters {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 1rem;
      }
      td.hash {
        font-family: monospace;
        color: #4a5160;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _rows: AuditEntry[] = [];
  @state() private _next: number | null = null;
  @state() private _action = "";
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
      <div class="filters">
        <label for="action">Action</label>
        <select id="action" @change=${this._onAction}>
          <option value="">All</option>
          ${Actions.map((a) => html`<option value=${a} ?selected=${a === this._action}>${a}</option>`)}
        </select>
      </div>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      <section class="card">
        ${this._rows.length === 0 && !this._loading
          ? html`<p class="muted">No audit entries${this._action ? ` for ${this._action}` : ""}.</p>`
          : html`<table>
              <thead>
                <tr><th>#</th><th>When</th><th>Who</th><th>Action</th><th>What</th><th>Change</th><th>Hash</th></tr>
              </thead>
              <tbody>
                ${this._rows.map(
                  (r) => html`<tr>
                    <td>${r.seq}</td>
                    <td>${formatWhen(r.at, tz)}</td>
                    <td>${r.actorId ? `${r.actorName ?? "Unknown"} (${r.role ?? "?"})` : "System"}</td>
                    <td>${r.action}</td>
                    <td>${r.entityType.replace("_", " ")}</td>
                    <td>${changeText(r.summary)}</td>
                    <td class="hash" title=${r.hash}>${r.hash.slice(0, 10)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
        ${this._next !== null ? html`<button ?disabled=${this._loading} @click=${this._onMore}>Load older</button>` : nothing}
        ${this._loading ? html`<p role="status">Loading…</p>` : nothing}
      </section>
    `;
  }

  private _onAction(e: Event): void {
    this._action = (e.target as HTMLSelectElement).value;
    void this._load(false);
  }

  private _onMore(): void {
    void this._load(true);
  }

  private async _load(more: boolean): Promise<void> {
    const action = this._action;
    this._loading = true;
    this._error = "";
    const ack = await this.client.command<AuditPage>(`gym:${this.me.gymId}`, "gym:auditLog", {
      limit: 50,
      ...(more && this._next !== null ? { beforeSeq: this._next } : {}),
      ...(action ? { action } : {}),
    });
    this._loading = false;
    if (action !== this._action) return;
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
