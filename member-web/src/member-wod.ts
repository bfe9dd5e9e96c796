import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { PublicClassView } from "../../domain/views/classView.js";
import type { PublicResultLine } from "../../domain/views/leaderboardView.js";
import { scoreValue, type Division, type ScoreType } from "../../domain/workouts/scores.js";
import "../../web/shared/leaderboard-table.js";
import { errorWithFields } from "../../web/shared/messages.js";
import { RoomController } from "../../web/shared/RoomController.js";
import "../../web/shared/score-fields.js";
import type { ScoreFields } from "../../web/shared/score-fields.js";
import { boardRows, DivisionLabels, ScoreTypeLabels } from "../../web/shared/scoreEntry.js";
import { formatTime } from "./format.js";
import { accentButtons, errorBox } from "./styles.js";

/**
 * Which line of the public board is mine. The board names no one by id, so it is found by my
 * division and score; among equal scores the earlier submission ranks first, so my place in that
 * group (`offset`) holds as later equal scores arrive.
 */
interface MyScore {
  division: Division;
  value: number;
  /** My rank when the server answered; turned into `offset` once the board shows it. */
  rank: number;
  offset: number | null;
}

const storageKey = (sessionId: string) => `spotter.score.${sessionId}`;

function findMine(rows: readonly PublicResultLine[], mine: MyScore | null): PublicResultLine | null {
  if (!mine) return null;
  const group = rows.filter((r) => r.division === mine.division && scoreValue(r.score) === mine.value);
  if (group.length === 0) return null;
  const offset = mine.offset ?? group.filter((r) => r.rank < mine.rank).length;
  return group[Math.min(offset, group.length - 1)]!;
}

/**
 * Today's workout on a booked class: what it is, my score entry with the right inputs for its score
 * type (mm:ss, kg, rounds + reps …), my place and the class leaderboard, all live.
 */
@customElement("member-wod")
export class MemberWod extends LitElement {
  static override styles = [
    accentButtons,
    errorBox,
    css`
      :host {
        display: block;
      }
      section {
        margin-top: 0.35rem;
        padding: 0.75rem;
        border-radius: 0.75rem;
        background: var(--card, #fff);
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
      }
      h4 {
        margin: 0;
        font-size: 1.05rem;
      }
      .meta,
      .note {
        color: var(--muted, #5b6470);
        font-size: 0.9rem;
        margin: 0.15rem 0 0;
      }
      .description {
        white-space: pre-line;
        margin: 0.35rem 0 0;
      }
      form {
        display: grid;
        gap: 0.6rem;
        margin: 0.75rem 0;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: flex;
        gap: 0.5rem;
      }
      legend {
        font-size: 0.85rem;
        color: var(--muted, #5b6470);
        margin-bottom: 0.25rem;
        padding: 0;
      }
      fieldset label {
        flex: 1;
        display: flex;
        align-items: center;
        justify-content: center;
        gap: 0.4rem;
        min-height: 2.75rem;
        border: 1px solid #c4cad2;
        border-radius: 0.6rem;
        font-weight: 600;
      }
      fieldset label:has(input:checked) {
        border-color: var(--accent, #127a52);
        background: var(--accent-soft, #dff3ea);
        color: var(--accent-ink, #0b5a3c);
      }
      fieldset label:has(input:focus-visible) {
        outline: 3px solid var(--focus, #1d4ed8);
        outline-offset: 2px;
      }
      score-fields {
        --score-input-size: 1.25rem;
        --score-input-height: 2.9rem;
        --focus: #1d4ed8;
      }
      button {
        min-height: 2.9rem;
      }
      .rank {
        font-size: 1.1rem;
        font-weight: 700;
        margin: 0.5rem 0;
        color: var(--accent-ink, #0b5a3c);
      }
      leaderboard-table {
        --board-font-size: 0.95rem;
        --board-row-pad: 0.5em 0.4em;
        --board-mine-bg: var(--accent-soft, #dff3ea);
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() sessionId = "";
  @property() classLabel = "";
  @property() timeZone = "UTC";
  @property({ type: Number }) now = 0;
  @property({ type: Boolean }) online = false;
  @state() private _division: Division | "" = "";
  @state() private _busy = false;
  @state() private _error = "";
  @state() private _mine: MyScore | null = null;
  @query("score-fields") private _score!: ScoreFields;
  private _cls!: RoomController<PublicClassView>;

  override connectedCallback(): void {
    this._cls ??= new RoomController<PublicClassView>(this, this.client, `class:${this.sessionId}`);
    this._mine = this._load();
    super.connectedCallback();
  }

  protected override willUpdate(): void {
    // Fix my place among equal scores once the board shows the rank the server answered.
    const mine = this._mine;
    const rows = this._cls.view?.leaderboard.rows;
    if (!mine || mine.offset !== null || !rows) return;
    const group = rows.filter((r) => r.division === mine.division && scoreValue(r.score) === mine.value);
    if (!group.some((r) => r.rank === mine.rank)) return;
    this._mine = { ...mine, offset: group.filter((r) => r.rank < mine.rank).length };
    this._save(this._mine);
  }

  override render() {
    const view = this._cls.view;
    const w = view?.leaderboard.workout;
    if (!view || !w) return nothing;
    const rows = view.leaderboard.rows;
    const mine = findMine(rows, this._mine);
    const started = this.now >= view.session.startsAt;
    const label = `${this.classLabel || view.session.className} workout`;
    return html`<section aria-label=${label}>
      <h4>Workout: ${w.title}</h4>
      ${w.description ? html`<p class="description">${w.description}</p>` : nothing}
      <p class="meta">${ScoreTypeLabels[w.scoreType]} · ${w.divisions.map((d) => DivisionLabels[d]).join(" / ")}</p>
      ${started ? this._form(w.scoreType, w.divisions, mine !== null) : html`<p class="note">Log your score once class starts at ${formatTime(view.session.startsAt, this.timeZone)}.</p>`}
      <p class="rank" data-testid="my-rank" aria-live="polite">${mine ? `You're #${mine.rank} of ${rows.length}` : ""}</p>
      <leaderboard-table
        caption="Class leaderboard"
        .rows=${boardRows(rows, (r) => ({ key: String(r.rank), name: r.name ?? "Anonymous", mine: r === mine }))}
        empty="No scores yet — be the first."
      ></leaderboard-table>
    </section>`;
  }

  private _form(scoreType: ScoreType, divisions: readonly Division[], logged: boolean) {
    const division = this._division && divisions.includes(this._division) ? this._division : divisions[0]!;
    const off = !this.online || this._busy;
    return html`<form @submit=${this._onSubmit} aria-label="Your score">
      ${
        divisions.length > 1
          ? html`<fieldset>
            <legend>Division</legend>
            ${divisions.map(
              (d) =>
                html`<label><input type="radio" name="division" .checked=${d === division} ?disabled=${off} @change=${() => (this._division = d)} />${DivisionLabels[d]}</label>`,
            )}
          </fieldset>`
          : nothing
      }
      <score-fields .scoreType=${scoreType} ?disabled=${off}></score-fields>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <button type="submit" ?disabled=${off}>${logged ? "Update my score" : "Submit score"}</button>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const w = this._cls.view?.leaderboard.workout;
    if (!w || this._busy) return;
    const parsed = this._score.read();
    if (!parsed.ok) return;
    const division = this._division && w.divisions.includes(this._division) ? this._division : w.divisions[0]!;
    this._busy = true;
    this._error = "";
    try {
      const ack = await this._cls.command<{ rank: number }>("class:logResult", {
        sessionId: this.sessionId,
        score: parsed.score,
        division,
      });
      if (!ack.ok) {
        this._error = errorWithFields(ack.error);
        return;
      }
      this._mine = { division, value: scoreValue(parsed.score), rank: ack.result.rank, offset: null };
      this._save(this._mine);
      this._score.clear();
    } finally {
      this._busy = false;
    }
  }

  private _load(): MyScore | null {
    try {
      const raw = localStorage.getItem(storageKey(this.sessionId));
      return raw ? (JSON.parse(raw) as MyScore) : null;
    } catch {
      return null;
    }
  }

  private _save(mine: MyScore): void {
    try {
      localStorage.setItem(storageKey(this.sessionId), JSON.stringify(mine));
    } catch {
      // Private mode or full storage: the rank still shows until the page is reloaded.
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-wod": MemberWod;
  }
}
