import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { SegmentFilter } from "../../domain/segments/filter.js";
import { formatDay } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { capabilities } from "./roles.js";
import {
  bulkActionForms,
  bulkFreeze,
  bulkMessage,
  bulkTag,
  exportSegment,
  type BulkHandlers,
  type SegmentTarget,
} from "./segmentActions.js";
import { filterFields, filterFromForm } from "./segmentFilter.js";
import { shared } from "./styles.js";
import type { PlanLine, StaffMe } from "./types.js";

interface Preview {
  count: number;
  description: string;
  members: { memberId: string; name: string; email: string; status: string; plan: string | null; lastVisitAt: number | null }[];
}
interface Saved {
  segmentId: string;
  name: string;
  filter: SegmentFilter;
  description: string;
}

/**
 * Segments: filter the gym's members, preview who and how many, save the filter, tag/untag, message or freeze them all, export a CSV.
 * This element holds the screen's state, the preview and saved segments; the filter editor is in segmentFilter.ts, the
 * bulk-action panel in segmentActions.ts.
 */
@customElement("segments-screen")
export class SegmentsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .grid {
        display: grid;
        grid-template-columns: minmax(16rem, 1fr) minmax(0, 2fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 900px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
      form {
        display: grid;
        gap: 0.5rem;
      }
      fieldset {
        border: 1px solid #d5dbe6;
        border-radius: 0.4rem;
      }
      .inline {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      .inline input[type="number"] {
        width: 5rem;
      }
      .count {
        font-size: 1.4rem;
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _plans: PlanLine[] = [];
  @state() private _saved: Saved[] = [];
  @state() private _filter: SegmentFilter = { statuses: ["active"], noVisitDays: 14 };
  @state() private _preview: Preview | null = null;
  @state() private _error = "";

  private get _room() {
    return `gym:${this.me.gymId}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadLists();
  }

  private async _loadLists(): Promise<void> {
    const [plans, saved] = await Promise.all([
      this.client.command<{ plans: PlanLine[] }>(this._room, "gym:plans", {}),
      this.client.command<{ segments: Saved[] }>(this._room, "gym:segments", {}),
    ]);
    if (plans.ok) this._plans = plans.result.plans;
    if (saved.ok) this._saved = saved.result.segments;
  }

  override render() {
    const f = this._filter;
    const p = this._preview;
    const money = capabilities(this.me.role).seeFees;
    return html`<h1>Segments</h1>
      <div class="grid">
        <section class="card" aria-labelledby="filter-h">
          <h2 id="filter-h">Who</h2>
          <form @change=${this._onChange} @submit=${this._onPreview}>
            ${filterFields(f, this._plans, money)}
            <p><button class="primary" type="submit">Preview</button></p>
          </form>
          <h3>Saved segments</h3>
          ${
            this._saved.length
              ? html`<ul>
                ${this._saved.map((s) => html`<li><button class="button" @click=${() => this._onLoad(s)}>${s.name}</button> <span class="muted">${s.description}</span></li>`)}
              </ul>`
              : html`<p class="muted">None yet.</p>`
          }
        </section>
        <section class="card" aria-labelledby="preview-h" aria-live="polite">
          <h2 id="preview-h">Preview</h2>
          ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
          ${p ? this._previewView(p) : html`<p class="muted">Choose who, then Preview.</p>`}
        </section>
      </div>`;
  }

  private _previewView(p: Preview) {
    const tz = this.me.timeZone;
    return html`<p><span class="count" data-testid="segment-count">${p.count}</span> ${p.count === 1 ? "member" : "members"} · ${p.description}</p>
      <form class="inline" @submit=${this._onSave} aria-label="Save segment">
        <label>Name <input name="name" required maxlength="120" placeholder="Win-back" /></label>
        <button type="submit">Save segment</button>
      </form>
      ${bulkActionForms(p.count, this._bulkHandlers)}
      <div class="table-scroll" tabindex="0" role="region" aria-label="Members found">
        <table>
          <thead><tr><th>Name</th><th>Status</th><th>Plan</th><th>Last visit</th></tr></thead>
          <tbody>
            ${p.members.map((m) => html`<tr data-member=${m.memberId}><td>${m.name}<br /><span class="muted">${m.email}</span></td><td>${m.status.replace("_", " ")}</td><td>${m.plan ?? "—"}</td><td>${m.lastVisitAt ? formatDay(m.lastVisitAt, tz) : "never"}</td></tr>`)}
          </tbody>
        </table>
      </div>
      ${p.count > p.members.length ? html`<p class="muted">The first ${p.members.length} by name.</p>` : nothing}`;
  }

  private _onChange(e: Event): void {
    this._filter = filterFromForm(e.currentTarget as HTMLFormElement);
  }

  private async _onPreview(e?: Event): Promise<void> {
    e?.preventDefault();
    if (e) this._onChange(e);
    const res = await this.client.command<Preview>(this._room, "gym:previewSegment", { filter: this._filter });
    this._error = res.ok ? "" : errorMessage(res.error);
    this._preview = res.ok ? res.result : null;
  }

  private _onLoad(s: Saved): void {
    this._filter = s.filter;
    void this._onPreview();
  }

  private async _onSave(e: Event): Promise<void> {
    e.preventDefault();
    const name = String(new FormData(e.target as HTMLFormElement).get("name") ?? "").trim();
    const ack = await this.client.command(this._room, "gym:saveSegment", { name, filter: this._filter });
    if (toasts.fromAck(ack, `Segment “${name}” saved.`)) await this._loadLists();
  }

  private get _target(): SegmentTarget {
    return { client: this.client, room: this._room, filter: this._filter, expectedCount: this._preview?.count ?? 0 };
  }

  private readonly _bulkHandlers: BulkHandlers = {
    onBulk: (e) => void this._afterAction(e, bulkTag),
    onMessage: (e) => void this._afterAction(e, bulkMessage),
    onFreeze: (e) => void this._afterAction(e, bulkFreeze),
    onExport: () => void exportSegment(this._target),
  };

  /** Runs a bulk action, then previews again (unless it was not confirmed). */
  private async _afterAction(e: SubmitEvent, action: (t: SegmentTarget, e: SubmitEvent) => Promise<boolean>): Promise<void> {
    e.preventDefault();
    if (await action(this._target, e)) await this._onPreview();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "segments-screen": SegmentsScreen;
  }
}
