import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { shared } from "./styles.js";
import { currentToken } from "./token.js";
import { toasts } from "../../web/shared/toasts.js";

const FILES = [
  { file: "members.csv", label: "Members CSV" },
  { file: "attendance.csv", label: "Attendance CSV" },
] as const;

/** Download buttons for the gym's CSV exports (fetched with the staff token, saved as files). */
@customElement("csv-export")
export class CsvExport extends LitElement {
  static override styles = shared;

  @property() gymId = "";
  @state() private _busy = "";

  override render() {
    return html`<div class="row" role="group" aria-label="Export">
      ${FILES.map(
        (f) => html`<button type="button" data-file=${f.file} ?disabled=${this._busy !== ""} @click=${() => this._onDownload(f.file)}>
          ⬇ ${this._busy === f.file ? "Preparing…" : f.label}
        </button>`,
      )}
    </div>`;
  }

  private async _onDownload(file: string): Promise<void> {
    this._busy = file;
    try {
      const res = await fetch(`/api/gyms/${this.gymId}/${file}`, { headers: { authorization: `Bearer ${currentToken() ?? ""}` } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        toasts.error(body?.error?.message ?? `The export failed (HTTP ${res.status}).`);
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      toasts.error("You're offline — the export needs a connection.");
    } finally {
      this._busy = "";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "csv-export": CsvExport;
  }
}
