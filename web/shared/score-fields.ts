import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ScoreType } from "../../domain/workouts/scores.js";
import { parseScore, scoreInputs, type ParsedScore, type ScoreText } from "./scoreEntry.js";

/**
 * The inputs one score type needs (a time as mm:ss, a load in kg, rounds + reps, ...). `read()`
 * parses them into the protocol's whole units and marks the wrong field. Enter submits the
 * surrounding form (inputs in a shadow root are not part of it).
 */
@customElement("score-fields")
export class ScoreFields extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .inputs {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    label {
      display: grid;
      gap: 0.25rem;
      font-size: var(--score-label-size, 0.85rem);
      color: var(--score-label-ink, #333a45);
      flex: 1 1 6rem;
    }
    input {
      font: inherit;
      font-size: var(--score-input-size, 1rem);
      min-height: var(--score-input-height, 2.25rem);
      padding: 0.3rem 0.5rem;
      border: 1px solid #c4cad4;
      border-radius: 0.4rem;
      width: 100%;
      box-sizing: border-box;
      font-variant-numeric: tabular-nums;
    }
    input[aria-invalid="true"] {
      border-color: #b42318;
    }
    input:focus-visible {
      outline: 3px solid var(--focus, #f0b400);
      outline-offset: 2px;
    }
    .error {
      color: #9b1c1c;
      font-size: 0.85rem;
      margin: 0.3rem 0 0;
    }
  `;

  @property() scoreType: ScoreType = "for_time";
  @property({ type: Boolean }) disabled = false;
  @state() private _text: ScoreText = {};
  @state() private _error: Extract<ParsedScore, { ok: false }> | null = null;

  /** Parses what was typed; shows and focuses the wrong field when it is not a score. */
  read(): ParsedScore {
    const parsed = parseScore(this.scoreType, this._text);
    this._error = parsed.ok ? null : parsed;
    if (!parsed.ok)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`input[name="${parsed.field}"]`)?.focus());
    return parsed;
  }

  clear(): void {
    this._text = {};
    this._error = null;
  }

  override focus(): void {
    this.renderRoot.querySelector("input")?.focus();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("scoreType") && changed.get("scoreType") !== undefined) this.clear();
  }

  override render() {
    const err = this._error;
    return html`<div class="inputs">
        ${scoreInputs(this.scoreType).map(
          (i) => html`<label
            >${i.label}
            <input
              name=${i.key}
              inputmode=${i.inputMode}
              autocomplete="off"
              placeholder=${i.placeholder}
              .value=${this._text[i.key] ?? ""}
              ?disabled=${this.disabled}
              aria-invalid=${err?.field === i.key ? "true" : "false"}
              aria-describedby=${err?.field === i.key ? "score-error" : nothing}
              @input=${(e: Event) => this._onInput(i.key, (e.target as HTMLInputElement).value)}
              @keydown=${this._onKeyDown}
          /></label>`,
        )}
      </div>
      ${err ? html`<p class="error" id="score-error" role="alert">${err.message}</p>` : nothing}`;
  }

  private _onInput(key: keyof ScoreText, value: string): void {
    this._text = { ...this._text, [key]: value };
    if (this._error?.field === key) this._error = null;
  }

  private _onKeyDown(e: KeyboardEvent): void {
    if (e.key !== "Enter") return;
    e.preventDefault();
    this.closest("form")?.requestSubmit();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "score-fields": ScoreFields;
  }
}
