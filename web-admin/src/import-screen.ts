import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ImportKinds, type ImportKind, type ImportReport } from "./importKinds.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import { currentToken } from "./token.js";
import type { StaffMe } from "./types.js";

type ImportMapping = Record<string, string>;

/** The upload cap of the route (8 MiB), checked here too so a huge file is refused before it is sent. */
const MAX_BYTES = 8 * 1024 * 1024;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Import members, the plans they hold, upcoming bookings or classes from another system's CSV export: pick what and the file,
 * check which column is which (known column names come preselected), read the dry run — every row's problem in words
 * and what would happen — then import. Nothing is imported while any row has an error; the same file again changes
 * nothing (matched by email, plan and start, class).
 */
@customElement("import-screen")
export class ImportScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .steps {
        display: grid;
        gap: 1rem;
      }
      h3 {
        margin-top: 1.25rem;
      }
      .mapping {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        gap: 0.75rem;
      }
      .sample {
        overflow-x: auto;
        max-width: 100%;
      }
      table {
        border-collapse: collapse;
        font-size: 0.85rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.3rem 0.6rem;
        border-bottom: 1px solid #e3e6eb;
        white-space: nowrap;
      }
      .errors {
        margin: 0 0 0.75rem;
        padding-left: 1.2rem;
        max-height: 20rem;
        overflow-y: auto;
      }
      .errors li {
        margin: 0.2rem 0;
        color: #7f1d1d;
      }
      .duplicates {
        margin: 0 0 0.75rem;
        padding-left: 1.2rem;
        max-height: 12rem;
        overflow-y: auto;
      }
      .summary {
        font-size: 1.05rem;
        font-weight: 600;
      }
      .done {
        background: #dcf3e3;
        color: #14532d;
        border-radius: 0.5rem;
        padding: 0.75rem 1rem;
      }
    `,
  ];

  @property({ attribute: false }) me!: StaffMe;
  @state() private _file: { name: string; text: string } | null = null;
  @state() private _report: ImportReport | null = null;
  @state() private _mapping: ImportMapping = {};
  @state() private _busy = false;
  @state() private _problem = "";
  @state() private _invite = false;
  @state() private _kind: ImportKind = "members";

  override render() {
    const r = this._report;
    const k = ImportKinds[this._kind];
    return html`<div class="steps">
      <div class="row">
        <h1>${k.title}</h1>
        <a class="button" href=${href({ name: "members", id: null })}>Back to members</a>
      </div>
      <section class="card" aria-labelledby="file-h">
        <h2 id="file-h">1. ${k.file}</h2>
        <label
          >What to import
          <select data-testid="import-kind" .value=${this._kind} @change=${this._onKind} ?disabled=${this._busy}>
            <option value="members">Members</option>
            <option value="plans">Plans members hold</option>
            <option value="bookings">Upcoming bookings</option>
            <option value="classes">Classes (history too)</option>
            <option value="visits">Visit history</option>
          </select></label
        >
        <p class="muted">${k.intro}</p>
        <label>CSV file<input type="file" accept=".csv,text/csv" data-testid="import-file" @change=${this._onFile} ?disabled=${this._busy} /></label>
        ${this._problem ? html`<p role="alert" class="muted">${this._problem}</p>` : nothing}
      </section>
      ${r && !r.committed ? this._renderMapping(r) : nothing} ${r && !r.committed ? this._renderPreview(r) : nothing} ${r?.committed ? this._renderDone(r) : nothing}
    </div>`;
  }

  private _renderMapping(r: ImportReport) {
    return html`<section class="card" aria-labelledby="map-h">
      <h2 id="map-h">2. Which column is which</h2>
      <div class="mapping">
        ${ImportKinds[this._kind].fields.map(
          ({ field, label }) => html`<label
            >${label}
            <select data-field=${field} .value=${this._mapping[field] ?? ""} @change=${this._onMap} ?disabled=${this._busy}>
              <option value="">— not in the file —</option>
              ${r.columns.map((c) => html`<option value=${c} ?selected=${this._mapping[field] === c}>${c}</option>`)}
            </select></label
          >`,
        )}
      </div>
      <h3>First rows of the file</h3>
      <div class="sample" tabindex="0" role="region" aria-label="First rows of the file">
        <table>
          <thead>
            <tr>
              ${r.columns.map((c) => html`<th scope="col">${c}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${r.sample.map((row) => html`<tr>${r.columns.map((_c, i) => html`<td>${row[i] ?? ""}</td>`)}</tr>`)}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private _renderPreview(r: ImportReport) {
    const k = ImportKinds[this._kind];
    const toAdd = k.writes(r);
    const blocked =
      r.errorCount > 0
        ? "Nothing is imported while any row has an error: fix them in the file (or pick other columns) and choose it again."
        : toAdd === 0
          ? k.nothing
          : "";
    return html`<section class="card" aria-labelledby="check-h">
      <h2 id="check-h">3. Check, then import</h2>
      <p class="summary" data-testid="import-summary" role="status">
        ${plural(r.rows, "row", "rows")}: ${k.summary(r)}${r.errorCount > 0 ? html`, <strong>${plural(r.errorCount, "error", "errors")}</strong>` : nothing}.
      </p>
      ${
        r.errors.length > 0
          ? html`<ul class="errors" data-testid="import-errors" aria-label="Rows with errors">
              ${r.errors.map((e) => html`<li>Line ${e.line}${e.field === "row" ? "" : ` · ${k.fields.find((f) => f.field === e.field)?.label ?? e.field}`}: ${e.message}</li>`)}
            </ul>
            ${r.errorCount > r.errors.length ? html`<p class="muted">…and ${r.errorCount - r.errors.length} more.</p>` : nothing}`
          : nothing
      }
      ${
        r.duplicates?.length
          ? html`<ul class="duplicates" data-testid="import-duplicates" aria-label="Rows skipped as duplicates">
              ${r.duplicates.map((d) => html`<li>Line ${d.line}: ${d.message}</li>`)}
            </ul>`
          : nothing
      }
      ${
        this._kind === "members"
          ? html`<label class="row"><input type="checkbox" .checked=${this._invite} @change=${this._onInvite} /> Email each new member an invitation to the member app</label>`
          : nothing
      }
      <div class="row">
        <button class="primary" data-testid="import-commit" ?disabled=${this._busy || blocked !== ""} @click=${this._onImport}>
          ${this._busy ? "Working…" : k.commit(toAdd)}
        </button>
        ${blocked ? html`<span class="muted">${blocked}</span>` : nothing}
      </div>
    </section>`;
  }

  private _renderDone(r: ImportReport) {
    return html`<section class="card" aria-labelledby="done-h">
      <h2 id="done-h">Imported</h2>
      <p class="done" role="status" data-testid="import-done">
        ${ImportKinds[this._kind].done(r)}
        ${r.invitationsSent ? ` ${plural(r.invitationsSent, "invitation", "invitations")} sent.` : ""}
        ${r.notInvited ? ` ${r.notInvited} not invited (at most 200 per import) — invite them from their profiles.` : ""}
      </p>
      <a class="button" href=${href({ name: "members", id: null })}>See members</a>
    </section>`;
  }

  private async _onFile(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    this._report = null;
    this._problem = "";
    if (!file) return;
    if (file.size > MAX_BYTES) {
      this._problem = `This file is ${(file.size / 1024 / 1024).toFixed(1)} MB; import at most 8 MB at a time (split the file).`;
      return;
    }
    this._file = { name: file.name, text: await file.text() };
    // The same export again (a corrected file): keep the columns picked; a file with other columns starts from the suggestion.
    const kept = Object.keys(this._mapping).length > 0 ? this._mapping : null;
    await this._send(false, kept);
    const answered = this._report as ImportReport | null;
    if (kept && answered?.errors.some((e) => e.line === 1 && e.field === "row")) await this._send(false, null);
  }

  private _onKind(e: Event): void {
    this._kind = (e.target as HTMLSelectElement).value as ImportKind;
    this._file = null;
    this._report = null;
    this._mapping = {};
    this._problem = "";
    const input = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="import-file"]');
    if (input) input.value = "";
  }

  private async _onMap(e: Event): Promise<void> {
    const select = e.target as HTMLSelectElement;
    const field = select.dataset.field!;
    const mapping = { ...this._mapping };
    if (select.value) mapping[field] = select.value;
    else delete mapping[field];
    this._mapping = mapping;
    await this._send(false, mapping);
  }

  private _onInvite(e: Event): void {
    this._invite = (e.target as HTMLInputElement).checked;
  }

  private async _onImport(): Promise<void> {
    await this._send(true, this._mapping);
  }

  /** A dry run (`commit` false) or the import, with the mapping shown (null: let the server suggest one). */
  private async _send(commit: boolean, mapping: ImportMapping | null): Promise<void> {
    if (!this._file) return;
    this._busy = true;
    this._problem = "";
    try {
      const q = new URLSearchParams({
        gym: this.me.gymId,
        commit: commit ? "1" : "0",
        invite: commit && this._invite && this._kind === "members" ? "1" : "0",
      });
      if (mapping) q.set("mapping", JSON.stringify(mapping));
      const res = await fetch(`/api/imports/${this._kind}?${q}`, {
        method: "POST",
        headers: { authorization: `Bearer ${currentToken() ?? ""}`, "x-spotter": "1", "content-type": "text/csv; charset=utf-8" },
        body: this._file.text,
      });
      const body = (await res.json().catch(() => null)) as (ImportReport & { error?: { message?: string } }) | null;
      if (!res.ok || !body || body.error) {
        this._problem = body?.error?.message ?? `The import failed (HTTP ${res.status}).`;
        return;
      }
      this._report = body;
      this._mapping = body.mapping;
    } catch {
      this._problem = "You're offline — the import needs a connection.";
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "import-screen": ImportScreen;
  }
}
