import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import "./challenges-panel.js";
import { capabilities } from "./roles.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { formatDay, formatTime } from "../../web/shared/format.js";
import type { Listen } from "../../web/shared/listen.js";
import { errorMessage } from "../../web/shared/messages.js";

type Board = "attendance" | "volume" | "benchmark";
type Period = "week" | "month";

/** `gym:leaderboard` answer (staff get member ids and full names). */
interface GymBoard {
  board: Board;
  period: { kind: Period; from: number; to: number };
  workout: string | null;
  total: number;
  entries: { rank: number; name: string | null; value: number | string; memberId?: string }[];
}

const BoardLabels: Record<Board, string> = { attendance: "Attendance", volume: "Volume lifted", benchmark: "Benchmark workout" };

/** Gym leaderboards for staff (attendance, volume or a benchmark WOD, this or last week or month) and the gym's challenges. */
@customElement("leaderboards-screen")
export class LeaderboardsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        gap: 0.75rem;
        flex-wrap: wrap;
        align-items: end;
        margin-bottom: 1rem;
      }
      td.value,
      th.value {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      td.rank {
        width: 3rem;
        font-weight: 700;
      }
      .foot {
        font-size: 0.85rem;
        margin-top: 0.5rem;
      }
      challenges-panel {
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property({ attribute: false }) listen: Listen | null = null;
  @state() private _board: Board = "attendance";
  @state() private _period: Period = "week";
  @state() private _offset = 0;
  @state() private _workout = "";
  @state() private _result: GymBoard | null = null;
  @state() private _error = "";
  @state() private _loadedAt = 0;
  @state() private _loading = false;
  private _stops: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    // Asked with `watch: true`: the server then says when a board changed (no data), and a new connection
    // has no subscription, so every (re)connect asks again.
    this._stops.push(
      this.client.onConnection((c) => {
        if (c.status === "connected") void this._load();
      }),
    );
    const off = this.listen?.("board:changed", (change) => {
      if (change.gymId === this.me.gymId && change.boards.includes(this._board)) void this._load();
    });
    if (off) this._stops.push(off);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const stop of this._stops.splice(0)) stop();
    void this.client.command(`gym:${this.me.gymId}`, "gym:leaderboard", { board: "attendance", period: "week", watch: false });
  }

  override render() {
    // A result of another board (or an unnamed benchmark) is not shown under this board's heading.
    const r = this._result?.board === this._board ? this._result : null;
    const needsWorkout = this._board === "benchmark" && this._workout.trim() === "";
    const tz = this.me.timeZone;
    return html`<h1>Leaderboards and challenges</h1>
      <section class="card" aria-labelledby="board-h">
        <form @submit=${this._onSubmit} @change=${this._onChange}>
          <label
            >Board
            <select name="board" .value=${this._board}>
              ${(Object.keys(BoardLabels) as Board[]).map((b) => html`<option value=${b} ?selected=${b === this._board}>${BoardLabels[b]}</option>`)}
            </select>
          </label>
          <label
            >Period
            <select name="period" .value=${`${this._period}:${this._offset}`}>
              ${[
                ["week:0", "This week"],
                ["week:1", "Last week"],
                ["month:0", "This month"],
                ["month:1", "Last month"],
              ].map(([v, l]) => html`<option value=${v!} ?selected=${v === `${this._period}:${this._offset}`}>${l}</option>`)}
            </select>
          </label>
          ${
            this._board === "benchmark"
              ? html`<label>Workout title <input name="workout" required maxlength="200" placeholder="Fran" .value=${this._workout} /></label>`
              : nothing
          }
          <button type="submit" class="primary" ?disabled=${this._loading}>Show</button>
        </form>
        <h2 id="board-h">${BoardLabels[this._board]}${r ? ` · ${formatDay(r.period.from, tz)} – ${formatDay(r.period.to - 1, tz)}` : ""}</h2>
        ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
        ${r ? this._table(r) : needsWorkout ? html`<p class="muted">Name a class workout (“Fran”) to rank everyone's best score at it.</p>` : html`<p role="status">Loading…</p>`}
        ${this._loadedAt ? html`<p class="muted foot">${r?.total ?? 0} ranked · live, updated ${formatTime(this._loadedAt, tz)}</p>` : nothing}
      </section>
      <challenges-panel .client=${this.client} .me=${this.me} ?can-create=${capabilities(this.me.role).manageClass}></challenges-panel>`;
  }

  private _table(r: GymBoard) {
    if (r.entries.length === 0) return html`<p class="muted">Nobody on this board yet.</p>`;
    const unit = (v: number | string) =>
      typeof v === "string" ? v : r.board === "attendance" ? `${v} ${v === 1 ? "class" : "classes"}` : `${v.toLocaleString("en-GB")} kg`;
    return html`<table>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Member</th>
          <th scope="col" class="value">${r.board === "benchmark" ? "Best score" : "Total"}</th>
        </tr>
      </thead>
      <tbody>
        ${r.entries.map(
          (e) => html`<tr data-rank=${e.rank}>
            <td class="rank">${e.rank}</td>
            <td>${e.name ?? "Anonymous"}</td>
            <td class="value">${unit(e.value)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private _onChange(e: Event): void {
    const t = e.target as HTMLInputElement | HTMLSelectElement;
    if (t.name === "board") this._board = t.value as Board;
    else if (t.name === "period") {
      const [period, offset] = t.value.split(":");
      this._period = period as Period;
      this._offset = Number(offset);
    } else if (t.name === "workout") this._workout = t.value;
    if (t.name !== "workout" && (this._board !== "benchmark" || this._workout.trim() !== "")) void this._load();
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="workout"]');
    if (input) this._workout = input.value;
    void this._load();
  }

  private async _load(): Promise<void> {
    if (this._board === "benchmark" && this._workout.trim() === "") return;
    this._loading = true;
    try {
      const payload = {
        board: this._board,
        period: this._period,
        offset: this._offset,
        limit: 50,
        watch: true,
        ...(this._board === "benchmark" ? { workout: this._workout.trim() } : {}),
      };
      const ack = await this.client.command<GymBoard>(`gym:${this.me.gymId}`, "gym:leaderboard", payload);
      if (ack.ok) {
        this._result = ack.result;
        this._error = "";
        this._loadedAt = Date.now();
      } else this._error = errorMessage(ack.error);
    } finally {
      this._loading = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "leaderboards-screen": LeaderboardsScreen;
  }
}
