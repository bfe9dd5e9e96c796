import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { excerptText } from "../../web/shared/feedText.js";
import { formatWhen } from "../../web/shared/format.js";
import { IntervalController } from "../../web/shared/IntervalController.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";

/** `gym:moderationItems` line. */
interface ReportItem {
  id: string;
  target: "event" | "comment";
  author: { id: string; name: string };
  reporter: { id: string; name: string };
  excerpt: string;
  reason: string;
  reportedAt: number;
}

/** How often the queue is asked again while shown (reports are a query, not a live room). */
const REFRESH_MS = 30_000;

/** Feed posts and comments members reported, newest first; owners and admins close them once handled. */
@customElement("reports-screen")
export class ReportsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      blockquote {
        margin: 0;
        padding-left: 0.6rem;
        border-left: 3px solid #c4cad4;
      }
      td {
        vertical-align: top;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _items: ReportItem[] | null = null;
  @state() private _error = "";
  @state() private _busy = "";

  constructor() {
    super();
    new IntervalController(this, REFRESH_MS, () => void this._load());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const canResolve = this.me.role === "owner" || this.me.role === "admin";
    return html`<h1>Reported posts</h1>
      <section class="card" aria-labelledby="reports-h">
        <h2 id="reports-h">Open reports · ${this._items?.length ?? 0}</h2>
        ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
        ${
          this._items === null
            ? html`<p role="status">Loading…</p>`
            : this._items.length === 0
              ? html`<p class="muted">Nothing reported. Members can report a feed post or comment; it shows up here.</p>`
              : html`<table>
                <thead>
                  <tr>
                    <th scope="col">Reported</th>
                    <th scope="col">What</th>
                    <th scope="col">Why</th>
                    ${canResolve ? html`<th scope="col"><span class="sr-only">Action</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${this._items.map(
                    (r) => html`<tr data-item=${r.id}>
                      <td>${formatWhen(r.reportedAt, this.me.timeZone)}<br /><span class="muted">by ${r.reporter.name}</span></td>
                      <td>
                        <span class="muted">${r.target === "comment" ? "Comment" : "Post"} by ${r.author.name}</span>
                        <blockquote>${r.target === "event" ? excerptText(r.excerpt, r.author.name) : r.excerpt}</blockquote>
                      </td>
                      <td>${r.reason || html`<span class="muted">No reason given</span>`}</td>
                      ${
                        canResolve
                          ? html`<td><button ?disabled=${this._busy !== ""} aria-label="Mark handled: the report by ${r.reporter.name}" @click=${() => this._resolve(r)}>Mark handled</button></td>`
                          : nothing
                      }
                    </tr>`,
                  )}
                </tbody>
              </table>`
        }
        ${canResolve ? nothing : html`<p class="muted">Owners and admins close reports once handled.</p>`}
      </section>`;
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<{ items: ReportItem[] }>(`gym:${this.me.gymId}`, "gym:moderationItems", {});
    if (!ack.ok) return void (this._error = errorMessage(ack.error));
    this._items = ack.result.items;
    this._error = "";
  }

  private async _resolve(r: ReportItem): Promise<void> {
    this._busy = r.id;
    try {
      const ack = await this.client.command(`gym:${this.me.gymId}`, "gym:resolveModerationItem", { itemId: r.id });
      if (toasts.fromAck(ack, "Report marked as handled.")) await this._load();
    } finally {
      this._busy = "";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "reports-screen": ReportsScreen;
  }
}
