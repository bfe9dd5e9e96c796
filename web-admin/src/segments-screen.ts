import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { MembershipStatuses } from "../../domain/model.js";
import type { SegmentFilter } from "../../domain/segments/filter.js";
import { formatDay } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { capabilities } from "./roles.js";
import { downloadText } from "./download.js";
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

/** Segments: filter the gym's members, preview who and how many, save the filter, tag/untag, message or freeze them all, export a CSV. */
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
            <fieldset>
              <legend>Status</legend>
              ${MembershipStatuses.map((s) => html`<label><input type="checkbox" name="status" value=${s} ?checked=${f.statuses?.includes(s) ?? false} /> ${s.replace("_", " ")}</label>`)}
            </fieldset>
            <label
              >Plan
              <select name="plan">
                <option value="">Any plan</option>
                ${this._plans.map((pl) => html`<option value=${pl.planId} ?selected=${f.planIds?.[0] === pl.planId}>${pl.name}</option>`)}
              </select></label
            >
            <label>Tagged (any of, comma-separated) <input name="tags" .value=${(f.tags ?? []).join(", ")} /></label>
            <div class="inline">
              <label>No visit in the last <input type="number" name="noVisitDays" min="1" max="730" .value=${f.noVisitDays === undefined ? "" : String(f.noVisitDays)} /> days</label>
            </div>
            <div class="inline">
              <label>At least <input type="number" name="visitsMin" min="0" .value=${f.visits?.min === undefined ? "" : String(f.visits.min)} /></label>
              <label>at most <input type="number" name="visitsMax" min="0" .value=${f.visits?.max === undefined ? "" : String(f.visits.max)} /></label>
              <label>visits in <input type="number" name="visitsDays" min="1" max="730" .value=${f.visits ? String(f.visits.days) : "30"} /> days</label>
            </div>
            ${money ? html`<label><input type="checkbox" name="feesOwed" ?checked=${f.feesOwed === true} /> Owes money</label>` : nothing}
            <label><input type="checkbox" name="trialEndedNotConverted" ?checked=${f.trialEndedNotConverted === true} /> Trial ended without joining</label>
            <label><input type="checkbox" name="birthdayThisWeek" ?checked=${f.birthdayThisWeek === true} /> Birthday this week</label>
            <label><input type="checkbox" name="streakBroken" ?checked=${f.streakBroken === true} /> Streak broken</label>
            <label><input type="checkbox" name="adherenceBelowTarget" ?checked=${f.adherenceBelowTarget === true} /> Below their weekly target (last 4 weeks)</label>
            <label><input type="checkbox" name="waiverMissing" ?checked=${f.waiverMissing === true} /> Waiver in force not signed</label>
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
      <form class="inline" @submit=${this._onBulk} aria-label="Bulk tag">
        <label>Tag <input name="tag" required maxlength="40" placeholder="win-back" /></label>
        <button type="submit" name="action" value="tag" ?disabled=${p.count === 0}>Tag ${p.count} members</button>
        <button type="submit" name="action" value="untag" ?disabled=${p.count === 0}>Untag ${p.count} members</button>
        <button type="button" @click=${this._onExport} ?disabled=${p.count === 0}>⬇ CSV</button>
      </form>
      <form class="inline" @submit=${this._onMessage} aria-label="Bulk message">
        <label>Message <textarea name="text" required maxlength="500" rows="2" placeholder="We miss you — open gym on Saturday"></textarea></label>
        <button type="submit" ?disabled=${p.count === 0}>Message ${p.count} members</button>
      </form>
      <form class="inline" @submit=${this._onFreeze} aria-label="Bulk freeze">
        <label>Freeze until <input name="until" type="date" required /></label>
        <label>Why <input name="reason" required maxlength="300" placeholder="Summer break" /></label>
        <button type="submit" ?disabled=${p.count === 0}>Freeze ${p.count} members</button>
      </form>
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
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const num = (name: string) => (String(data.get(name) ?? "").trim() === "" ? undefined : Number(data.get(name)));
    const statuses = data.getAll("status").map(String) as SegmentFilter["statuses"];
    const tags = String(data.get("tags") ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const min = num("visitsMin");
    const max = num("visitsMax");
    const next: SegmentFilter = {
      ...(statuses?.length ? { statuses } : {}),
      ...(data.get("plan") ? { planIds: [String(data.get("plan"))] } : {}),
      ...(tags.length ? { tags } : {}),
      ...(num("noVisitDays") !== undefined ? { noVisitDays: num("noVisitDays") } : {}),
      ...(min !== undefined || max !== undefined
        ? { visits: { days: num("visitsDays") ?? 30, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } }
        : {}),
      ...(data.get("feesOwed") ? { feesOwed: true } : {}),
      ...(data.get("trialEndedNotConverted") ? { trialEndedNotConverted: true } : {}),
      ...(data.get("birthdayThisWeek") ? { birthdayThisWeek: true } : {}),
      ...(data.get("streakBroken") ? { streakBroken: true } : {}),
      ...(data.get("adherenceBelowTarget") ? { adherenceBelowTarget: true } : {}),
      ...(data.get("waiverMissing") ? { waiverMissing: true } : {}),
    };
    this._filter = next;
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

  private async _onBulk(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const action = (e.submitter as HTMLButtonElement | null)?.value === "untag" ? "untag" : "tag";
    const tag = String(new FormData(e.target as HTMLFormElement).get("tag") ?? "").trim();
    const expectedCount = this._preview?.count ?? 0;
    if (!window.confirm(`This will ${action} ${expectedCount} members “${tag}”. Go ahead?`)) return;
    const ack = await this.client.command<{ changed: number }>(this._room, "gym:segmentAction", {
      filter: this._filter,
      action,
      tag,
      expectedCount,
    });
    if (ack.ok) toasts.success(`${ack.result.changed} members ${action === "tag" ? "tagged" : "untagged"} “${tag}”.`);
    else toasts.fromAck(ack);
    await this._onPreview();
  }

  private async _onMessage(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const text = String(new FormData(form).get("text") ?? "").trim();
    const expectedCount = this._preview?.count ?? 0;
    if (!window.confirm(`This will message ${expectedCount} members (their inbox, and push or email as each of them chose). Go ahead?`))
      return;
    const ack = await this.client.command<{ sent: number }>(this._room, "gym:segmentMessage", {
      filter: this._filter,
      text,
      expectedCount,
    });
    if (ack.ok) {
      toasts.success(`Message sent to ${ack.result.sent} members.`);
      form.reset();
    } else toasts.fromAck(ack);
    await this._onPreview();
  }

  private async _onFreeze(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const expectedCount = this._preview?.count ?? 0;
    const until = String(data.get("until") ?? "");
    if (
      !window.confirm(
        `This will freeze ${expectedCount} members until ${until} and cancel their bookings in that time without a fee. Go ahead?`,
      )
    )
      return;
    const ack = await this.client.command<{ frozen: number; skipped: { memberId: string; reason: string }[] }>(
      this._room,
      "gym:segmentFreeze",
      {
        filter: this._filter,
        until,
        reason: String(data.get("reason") ?? "").trim(),
        expectedCount,
      },
    );
    if (ack.ok)
      toasts.success(`${ack.result.frozen} members frozen${ack.result.skipped.length ? `, ${ack.result.skipped.length} skipped` : ""}.`);
    else toasts.fromAck(ack);
    await this._onPreview();
  }

  private async _onExport(): Promise<void> {
    const res = await this.client.command<{ name: string; csv: string }>(this._room, "gym:exportSegment", { filter: this._filter });
    if (!res.ok) return void toasts.fromAck(res);
    downloadText(res.result.name, res.result.csv);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "segments-screen": SegmentsScreen;
  }
}
