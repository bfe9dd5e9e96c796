import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { parseTime } from "../../web/shared/scoreEntry.js";
import { errorWithFields } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { accentButtons, errorBox, textInputs } from "./styles.js";
import type { Send } from "./types.js";

type SetText = { reps: string; kg: string; time: string; meters: string };
interface ExerciseText {
  movement: string;
  sets: SetText[];
}

/** `user:logWorkout` answer (the parts shown). */
interface Logged {
  prs: { movement: string; kind: "load" | "time" | "reps"; value: number }[];
  xp: number;
  streak: number;
}

const emptySet = (): SetText => ({ reps: "", kg: "", time: "", meters: "" });
const emptyExercise = (): ExerciseText => ({ movement: "", sets: [emptySet()] });

/** One set as typed → the protocol's whole units (reps, grams, ms, meters); a string says what's wrong. */
export function parseSet(s: SetText): { reps?: number; grams?: number; ms?: number; meters?: number } | string {
  const out: { reps?: number; grams?: number; ms?: number; meters?: number } = {};
  const whole = (t: string) => (/^\d+$/.test(t.trim()) ? Number(t.trim()) : null);
  if (s.reps.trim()) {
    const reps = whole(s.reps);
    if (reps === null || reps < 1) return "Reps: a whole number, 1 or more";
    out.reps = reps;
  }
  if (s.kg.trim()) {
    const kg = s.kg.trim().replace(",", ".");
    if (!/^\d+(\.\d{1,3})?$/.test(kg)) return "Load: kilograms, e.g. 102.5";
    out.grams = Math.round(Number(kg) * 1000);
  }
  if (s.time.trim()) {
    const ms = parseTime(s.time);
    if (ms === null || ms < 1) return "Time: use mm:ss, e.g. 7:30";
    out.ms = ms;
  }
  if (s.meters.trim()) {
    const m = whole(s.meters);
    if (m === null || m < 1) return "Distance: whole meters, 1 or more";
    out.meters = m;
  }
  if (out.reps === undefined && out.ms === undefined && out.meters === undefined) return "Each set needs reps, a time or a distance";
  if (out.grams !== undefined && out.reps === undefined) return "A load needs its reps";
  return out;
}

const prText = (p: Logged["prs"][number]) =>
  p.kind === "load"
    ? `${p.movement} ${p.value / 1000} kg`
    : p.kind === "time"
      ? `${p.movement} ${Math.floor(p.value / 60_000)}:${String(Math.floor((p.value % 60_000) / 1000)).padStart(2, "0")}`
      : `${p.movement} ${p.value} reps`;

/** Log a free workout (exercises and their sets); PRs, XP and the streak come back at once, and the feed card follows live. */
@customElement("workout-log-form")
export class WorkoutLogForm extends LitElement {
  static override styles = [
    accentButtons,
    errorBox,
    textInputs,
    css`
      :host {
        display: block;
      }
      button {
        min-height: 2.75rem;
        padding: 0 0.9rem;
      }
      button.secondary {
        background: #fff;
        color: var(--accent-ink, #0b5a3c);
      }
      button.link {
        border: none;
        background: transparent;
        color: var(--accent-ink, #0b5a3c);
        text-decoration: underline;
        font-weight: 400;
        padding: 0 0.3rem;
      }
      form {
        display: grid;
        gap: 0.75rem;
        margin-top: 0.6rem;
        background: var(--card, #fff);
        border-radius: 0.75rem;
        padding: 0.8rem;
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
      }
      fieldset {
        border: 1px solid #dde2e7;
        border-radius: 0.6rem;
        padding: 0.6rem;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      legend {
        font-weight: 600;
        padding: 0 0.3rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.8rem;
        color: var(--muted, #5b6470);
      }
      input {
        min-width: 0;
        width: 100%;
        box-sizing: border-box;
      }
      /* A hint, never mistaken for a filled-in value. */
      input::placeholder {
        font-style: italic;
        color: #6b7280;
      }
      .set {
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        gap: 0.35rem;
        align-items: end;
      }
      .row {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        align-items: center;
      }
      .done {
        margin: 0.5rem 0 0;
        font-weight: 600;
        color: var(--accent-ink, #0b5a3c);
      }
    `,
  ];

  @property({ attribute: false }) send: Send | undefined;
  @property() gymId = "";
  @property() userId = "";
  @property({ type: Boolean }) online = false;
  @state() private _open = false;
  @state() private _title = "";
  @state() private _exercises: ExerciseText[] = [emptyExercise()];
  @state() private _error = "";
  @state() private _busy = false;
  @state() private _done = "";

  override render() {
    return html`<button class="toggle" aria-expanded=${this._open ? "true" : "false"} aria-controls="log-form" @click=${this._toggle}>
        ${this._open ? "Close the workout log" : "Log a workout"}
      </button>
      ${this._done ? html`<p class="done" role="status">${this._done}</p>` : nothing} ${this._open ? this._form() : nothing}`;
  }

  private _form() {
    const off = !this.online || this._busy;
    return html`<form id="log-form" aria-label="Log a workout" @submit=${this._onSubmit}>
      <label>Title (optional) <input maxlength="200" placeholder="e.g. Leg day" .value=${this._title} @input=${(e: Event) => (this._title = (e.target as HTMLInputElement).value)} /></label>
      ${this._exercises.map(
        (ex, i) => html`<fieldset>
          <legend>Exercise ${i + 1}</legend>
          <label>Movement <input required maxlength="80" placeholder="e.g. Back squat" .value=${ex.movement} @input=${(e: Event) => this._setExercise(i, { movement: (e.target as HTMLInputElement).value })} /></label>
          ${ex.sets.map(
            (s, j) => html`<div class="set" role="group" aria-label="Exercise ${i + 1}, set ${j + 1}">
              ${(
                [
                  ["reps", "Reps", "numeric", "e.g. 5"],
                  ["kg", "kg", "decimal", "e.g. 100"],
                  ["time", "Time", "decimal", "mm:ss"],
                  ["meters", "Meters", "numeric", "e.g. 2000"],
                ] as const
              ).map(
                ([key, label, mode, hint]) => html`<label
                  >${label}
                  <input inputmode=${mode} placeholder=${hint} autocomplete="off" .value=${s[key]} @input=${(e: Event) => this._setSet(i, j, { [key]: (e.target as HTMLInputElement).value })}
                /></label>`,
              )}
            </div>`,
          )}
          <div class="row">
            <button type="button" class="secondary" @click=${() => this._setExercise(i, { sets: [...ex.sets, { ...ex.sets[ex.sets.length - 1]! }] })}>Add set</button>
            ${ex.sets.length > 1 ? html`<button type="button" class="link" @click=${() => this._setExercise(i, { sets: ex.sets.slice(0, -1) })}>Remove last set</button>` : nothing}
            ${this._exercises.length > 1 ? html`<button type="button" class="link" @click=${() => (this._exercises = this._exercises.filter((_, k) => k !== i))}>Remove exercise</button>` : nothing}
          </div>
        </fieldset>`,
      )}
      <div class="row">
        <button type="button" class="secondary" @click=${() => (this._exercises = [...this._exercises, emptyExercise()])}>Add exercise</button>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <button type="submit" ?disabled=${off}>Save workout</button>
    </form>`;
  }

  private _toggle(): void {
    this._open = !this._open;
    this._done = "";
  }

  private _setExercise(i: number, patch: Partial<ExerciseText>): void {
    this._error = "";
    this._exercises = this._exercises.map((ex, k) => (k === i ? { ...ex, ...patch } : ex));
  }

  private _setSet(i: number, j: number, patch: Partial<SetText>): void {
    const ex = this._exercises[i]!;
    this._setExercise(i, { sets: ex.sets.map((s, k) => (k === j ? { ...s, ...patch } : s)) });
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.send) return;
    const exercises = [];
    for (const [i, ex] of this._exercises.entries()) {
      if (!ex.movement.trim()) return void (this._error = `Exercise ${i + 1}: name the movement`);
      const sets = [];
      for (const [j, s] of ex.sets.entries()) {
        const parsed = parseSet(s);
        if (typeof parsed === "string") return void (this._error = `Exercise ${i + 1}, set ${j + 1}: ${parsed}`);
        sets.push(parsed);
      }
      exercises.push({ movement: ex.movement.trim(), sets });
    }
    this._busy = true;
    this._error = "";
    try {
      const title = this._title.trim();
      const ack = await this.send<Logged>(`user:${this.userId}`, "user:logWorkout", {
        gymId: this.gymId,
        ...(title ? { title } : {}),
        exercises,
      });
      if (!ack.ok) return void (this._error = errorWithFields(ack.error));
      const r = ack.result;
      this._done = `Saved · +${r.xp} XP · ${r.streak}-day streak${r.prs.length ? ` · ${r.prs.length === 1 ? "New PR" : `${r.prs.length} new PRs`}: ${r.prs.map(prText).join(", ")}` : ""}`;
      toasts.success(r.prs.length ? "Workout saved — new PR!" : "Workout saved.");
      this._open = false;
      this._title = "";
      this._exercises = [emptyExercise()];
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "workout-log-form": WorkoutLogForm;
  }
}
