import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { StaffClassView } from "../../domain/views/classView.js";
import { Divisions, ScoreTypes, type Division, type ScoreType } from "../../domain/workouts/scores.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import "../../web/shared/leaderboard-table.js";
import "../../web/shared/score-fields.js";
import type { ScoreFields } from "../../web/shared/score-fields.js";
import { boardRows, DivisionLabels, ScoreTypeLabels } from "../../web/shared/scoreEntry.js";

/** Runs a class command and says how it went; resolves with the result when it succeeded. */
export type RunCommand = (
  key: string,
  type: string,
  payload: Record<string, unknown>,
  done: (result: unknown) => string,
) => Promise<boolean>;

interface Draft {
  title?: string;
  description?: string;
  scoreType?: ScoreType;
  divisions?: Division[];
}

/**
 * The class's workout of the day on the staff class screen: set it (coaches, owners, admins), log a
 * result for someone on the roster, and the live leaderboard. The front desk sees the workout and
 * may log results, but is not offered to set it (the server refuses them).
 */
@customElement("class-workout")
export class ClassWorkout extends LitElement {
  static override styles = [
    shared,
    css`
      .cols {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr);
        gap: 1.25rem;
        align-items: start;
      }
      @media (max-width: 900px) {
        .cols {
          grid-template-columns: 1fr;
        }
      }
      form {
        display: grid;
        gap: 0.6rem;
        margin-bottom: 1.25rem;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 0;
        display: flex;
        gap: 0.9rem;
        flex-wrap: wrap;
      }
      legend {
        font-size: 0.85rem;
        color: #333a45;
        padding: 0;
        margin-bottom: 0.25rem;
      }
      h3 {
        font-size: 1rem;
      }
      .wod-title {
        font-size: 1.2rem;
        font-weight: 700;
        margin: 0;
      }
      .hint {
        font-size: 0.85rem;
        margin: 0;
      }
      .description {
        white-space: pre-line;
        margin: 0.35rem 0;
      }
      textarea {
        resize: vertical;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 1rem;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ attribute: false }) view!: StaffClassView;
  @property({ attribute: false }) run!: RunCommand;
  /** Coaches, owners and admins: may set the workout. */
  @property({ type: Boolean, attribute: "can-set" }) canSet = false;
  @property({ type: Boolean }) disabled = false;
  @state() private _draft: Draft = {};
  @state() private _memberId = "";
  @state() private _division: Division | "" = "";
  @state() private _busy = false;
  @query("score-fields") private _score!: ScoreFields;

  override render() {
    const board = this.view.leaderboard;
    const workout = board.workout;
    const rows = boardRows(
      Object.entries(board.results).map(([key, line]) => ({ ...line, key })),
      (l) => ({ key: l.key, name: l.name }),
    );
    return html`<section class="card" aria-labelledby="wod-h">
      <div class="head">
        <h2 id="wod-h">Workout of the day</h2>
        <a href=${href({ name: "board", id: this.view.session.id })} target="_blank" rel="noopener">Open TV board ↗</a>
      </div>
      <div class="cols">
        <div>
          ${this.canSet ? this._setForm() : this._summary()} ${workout ? this._logForm(workout.scoreType, workout.divisions) : nothing}
        </div>
        <leaderboard-table
          .rows=${rows}
          caption=${workout ? `${workout.title} · ${ScoreTypeLabels[workout.scoreType]}` : "Leaderboard"}
          empty=${workout ? "No scores yet." : "Set the workout to start the leaderboard."}
        ></leaderboard-table>
      </div>
    </section>`;
  }

  private _summary() {
    const w = this.view.leaderboard.workout;
    if (!w) return html`<p class="muted">The coach hasn't set this class's workout yet.</p>`;
    return html`<p class="wod-title">${w.title}</p>
      ${w.description ? html`<p class="description">${w.description}</p>` : nothing}
      <p class="muted hint">${ScoreTypeLabels[w.scoreType]} · ${w.divisions.map((d) => DivisionLabels[d]).join(" / ")}</p>`;
  }

  private _setForm() {
    const w = this.view.leaderboard.workout;
    const title = this._draft.title ?? w?.title ?? "";
    const description = this._draft.description ?? w?.description ?? "";
    const scoreType = this._draft.scoreType ?? w?.scoreType ?? "for_time";
    const divisions = this._draft.divisions ?? w?.divisions ?? [...Divisions];
    const locked = Object.keys(this.view.leaderboard.results).length > 0;
    const off = this.disabled || this._busy;
    return html`<form @submit=${this._onSetWorkout} aria-label="Set the workout">
      <label
        >Title
        <input name="title" required maxlength="200" placeholder="e.g. Fran: 21-15-9 thrusters and pull-ups" .value=${title} ?disabled=${off} @input=${(e: Event) => this._edit({ title: (e.target as HTMLInputElement).value })}
      /></label>
      <label
        >Description
        <textarea name="description" rows="4" maxlength="2000" placeholder="e.g. 21-15-9 reps of thrusters (43/30 kg) and pull-ups" .value=${description} ?disabled=${off} @input=${(e: Event) => this._edit({ description: (e.target as HTMLTextAreaElement).value })}></textarea>
      </label>
      <label
        >Score type
        <select name="scoreType" .value=${scoreType} ?disabled=${off || locked} @change=${(e: Event) => this._edit({ scoreType: (e.target as HTMLSelectElement).value as ScoreType })}>
          ${ScoreTypes.map((t) => html`<option value=${t} ?selected=${t === scoreType}>${ScoreTypeLabels[t]}</option>`)}
        </select>
      </label>
      ${locked ? html`<p class="muted hint">Scores are logged: the score type can't change now.</p>` : nothing}
      <fieldset>
        <legend>Divisions</legend>
        ${Divisions.map(
          (d) => html`<label
            ><input type="checkbox" name="division" .checked=${divisions.includes(d)} ?disabled=${off} @change=${(e: Event) => this._toggleDivision(divisions, d, (e.target as HTMLInputElement).checked)} />${DivisionLabels[d]}</label
          >`,
        )}
      </fieldset>
      <div><button type="submit" class="primary" ?disabled=${off || title.trim() === "" || divisions.length === 0}>${w ? "Update workout" : "Set workout"}</button></div>
    </form>`;
  }

  private _logForm(scoreType: ScoreType, divisions: readonly Division[]) {
    const people = Object.values(this.view.roster)
      .filter((r) => r.status === "booked" || r.status === "checked_in")
      .sort((a, b) => a.name.localeCompare(b.name));
    const division = this._division && divisions.includes(this._division) ? this._division : divisions[0]!;
    const off = this.disabled || this._busy;
    return html`<form @submit=${this._onLogResult} aria-labelledby="log-h">
      <h3 id="log-h">Log a result</h3>
      <label
        >Member
        <select name="member" .value=${this._memberId} ?disabled=${off} @change=${(e: Event) => (this._memberId = (e.target as HTMLSelectElement).value)}>
          <option value="">Choose a member…</option>
          ${people.map((p) => html`<option value=${p.memberId} ?selected=${p.memberId === this._memberId}>${p.name}</option>`)}
        </select>
      </label>
      <fieldset>
        <legend>Division</legend>
        ${divisions.map(
          (d) =>
            html`<label><input type="radio" name="log-division" .checked=${d === division} ?disabled=${off} @change=${() => (this._division = d)} />${DivisionLabels[d]}</label>`,
        )}
      </fieldset>
      <score-fields .scoreType=${scoreType} ?disabled=${off}></score-fields>
      <div><button type="submit" ?disabled=${off || this._memberId === ""}>Log result</button></div>
    </form>`;
  }

  private _edit(patch: Draft): void {
    this._draft = { ...this._draft, ...patch };
  }

  private _toggleDivision(current: Division[], d: Division, on: boolean): void {
    this._edit({ divisions: Divisions.filter((x) => (x === d ? on : current.includes(x))) });
  }

  private async _onSetWorkout(e: Event): Promise<void> {
    e.preventDefault();
    const w = this.view.leaderboard.workout;
    const title = (this._draft.title ?? w?.title ?? "").trim();
    const description = (this._draft.description ?? w?.description ?? "").trim();
    const scoreType = this._draft.scoreType ?? w?.scoreType ?? "for_time";
    const divisions = this._draft.divisions ?? w?.divisions ?? [...Divisions];
    this._busy = true;
    try {
      const ok = await this.run(
        "workout",
        "class:setWorkout",
        { title, description, scoreType, divisions },
        () => `Workout set: ${title}.`,
      );
      if (ok) this._draft = {};
    } finally {
      this._busy = false;
    }
  }

  private async _onLogResult(e: Event): Promise<void> {
    e.preventDefault();
    const workout = this.view.leaderboard.workout;
    const person = Object.values(this.view.roster).find((r) => r.memberId === this._memberId);
    if (!workout || !person) return;
    const parsed = this._score.read();
    if (!parsed.ok) return;
    const division = this._division && workout.divisions.includes(this._division) ? this._division : workout.divisions[0]!;
    this._busy = true;
    try {
      const ok = await this.run(
        `result:${person.memberId}`,
        "class:logResult",
        { memberId: person.memberId, score: parsed.score, division },
        (r) => `Result logged for ${person.name}: #${(r as { rank: number }).rank}.`,
      );
      if (ok) {
        this._score.clear();
        this._memberId = "";
      }
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "class-workout": ClassWorkout;
  }
}
