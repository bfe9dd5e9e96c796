import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { StaffClassView } from "../../domain/views/classView.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import { concurrentSessions, ROTATE_SECONDS } from "./boardRotation.js";
import { IntervalController } from "../../web/shared/IntervalController.js";
import { distinctFirstNames, firstName } from "../../domain/views/people.js";
import type { StaffMe } from "./types.js";
import { formatTime } from "../../web/shared/format.js";
import "../../web/shared/leaderboard-table.js";
import { errorMessage } from "../../web/shared/messages.js";
import { RoomController } from "../../web/shared/RoomController.js";
import { boardRows, DivisionLabels, ScoreTypeLabels, type BoardRow } from "../../web/shared/scoreEntry.js";

/** Rows that fit one column in readable type on a 16:9 screen. */
const ONE_COLUMN_ROWS = 10;

/**
 * The class whiteboard for the gym's TV at /admin/board/<sessionId>: the workout and the live
 * leaderboard in type readable across the room, no controls. It faces the whole gym, so it shows
 * members' first names only when they chose to be visible (as the member app does).
 */
@customElement("board-screen")
export class BoardScreen extends LitElement {
  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      min-height: 100vh;
      background: #0e1626;
      color: #f4f6fb;
      padding: 2.5vh 3vw;
      /* Scales with the screen, no upper cap: 1080p and 4K walls both read from 5 m. */
      font-size: max(1rem, min(2.2vw, 3.4vh));
    }
    .next {
      display: flex;
      align-items: center;
      gap: 0.5em;
      font-size: 0.7em;
      color: #d7deeb;
    }
    .next progress {
      width: 6em;
      height: 0.5em;
      accent-color: #7ee2a8;
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: 1em;
      flex-wrap: wrap;
      border-bottom: 2px solid #2a3957;
      padding-bottom: 0.5em;
      margin-bottom: 0.75em;
    }
    h1 {
      font-size: 1.6em;
      margin: 0;
      line-height: 1.15;
    }
    .when {
      color: #b8c3d9;
    }
    .live {
      font-size: 0.7em;
      font-weight: 700;
      letter-spacing: 0.08em;
      text-transform: uppercase;
      color: #7ee2a8;
    }
    .live.stale {
      color: #ffb4a8;
    }
    .wod {
      margin-bottom: 0.8em;
    }
    .wod h2 {
      font-size: 2.1em;
      margin: 0;
      line-height: 1.1;
    }
    .wod p {
      margin: 0.2em 0 0;
      color: #b8c3d9;
    }
    .wod p.description {
      color: #f4f6fb;
      font-size: 1.15em;
      white-space: pre-line;
      max-height: 30vh;
      overflow: hidden;
    }
    .waiting {
      font-size: 1.4em;
      color: #b8c3d9;
      margin-top: 2em;
      text-align: center;
    }
    .two {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 2.5vw;
      font-size: 0.85em;
    }
    leaderboard-table {
      --board-font-size: 1.25em;
      --board-ink: #f4f6fb;
      --board-muted: #a9b5cc;
      --board-rule: #243353;
      --board-row-pad: 0.3em 0.5em;
      --board-rx-bg: #1f5fbf;
      --board-rx-ink: #fff;
      --board-scaled-bg: #39465f;
      --board-scaled-ink: #e7ecf5;
    }
  `;

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property() sessionId = "";
  private _cls!: RoomController<StaffClassView>;
  /** The gym's schedule, to find the classes running alongside this one. */
  private _gym!: RoomController<StaffGymView>;
  private _wake: WakeLockSentinel | null = null;
  /** The class on screen now (rotates among concurrent classes) and seconds until the next one. */
  @state() private _shown = "";
  @state() private _left = ROTATE_SECONDS;

  constructor() {
    super();
    new IntervalController(this, 1_000, () => this._tick());
  }

  override connectedCallback(): void {
    this._cls ??= new RoomController<StaffClassView>(this, this.client, `class:${this.sessionId}`);
    this._gym ??= new RoomController<StaffGymView>(this, this.client, `gym:${this.me.gymId}`);
    super.connectedCallback();
    void this._keepAwake();
    document.addEventListener("visibilitychange", this._onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("visibilitychange", this._onVisibility);
    void this._wake?.release();
    this._wake = null;
  }

  /** A TV or tablet left on this board should not dim; the browser drops the lock when the tab is hidden. */
  private async _keepAwake(): Promise<void> {
    try {
      this._wake = (await navigator.wakeLock?.request("screen")) ?? null;
    } catch {
      // Not allowed here (no user gesture, insecure origin): the screen's own settings decide.
    }
  }

  private readonly _onVisibility = () => {
    if (document.visibilityState === "visible") void this._keepAwake();
  };

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("sessionId")) this._shown = this.sessionId;
    if (this._cls && this._shown) this._cls.room = `class:${this._shown}`;
  }

  private _rotation(): string[] {
    const schedule = this._gym?.view?.schedule;
    return schedule ? concurrentSessions(schedule, this.sessionId) : [this.sessionId];
  }

  private _tick(): void {
    const ids = this._rotation();
    if (ids.length < 2) return void (this._left = ROTATE_SECONDS);
    if (--this._left > 0) return;
    this._left = ROTATE_SECONDS;
    this._shown = ids[(ids.indexOf(this._shown) + 1) % ids.length] ?? this.sessionId;
  }

  /** One table; past a screenful, two side by side (best half on the left). */
  private _tables(rows: BoardRow[]) {
    if (rows.length <= ONE_COLUMN_ROWS)
      return html`<leaderboard-table .rows=${rows} caption="Leaderboard" empty="Scores appear here as they come in."></leaderboard-table>`;
    const half = Math.ceil(rows.length / 2);
    return html`<div class="two">
      <leaderboard-table .rows=${rows.slice(0, half)} caption="Leaderboard"></leaderboard-table>
      <leaderboard-table .rows=${rows.slice(half)} caption="Leaderboard, continued"></leaderboard-table>
    </div>`;
  }

  /** "Next: Spin in 12 s" with a draining bar, when another class runs at the same time. */
  private _next() {
    const ids = this._rotation();
    if (ids.length < 2) return nothing;
    const next = this._gym.view?.schedule[ids[(ids.indexOf(this._shown) + 1) % ids.length]!];
    return html`<div class="next" data-testid="board-next">
      <span>Next: ${next?.className ?? "next class"}${next?.locationName ? ` (${next.locationName})` : ""} in ${this._left} s</span>
      <progress max=${ROTATE_SECONDS} .value=${this._left} aria-hidden="true"></progress>
    </div>`;
  }

  override render() {
    const st = this._cls.state;
    if (st?.status === "error") return html`<p class="waiting" role="alert">${errorMessage(st.error)}</p>`;
    const view = this._cls.view;
    if (!view) return html`<p class="waiting" role="status">Loading the class…</p>`;
    const s = view.session;
    const tz = this.me.timeZone;
    const w = view.leaderboard.workout;
    const live = this._cls.status === "live" && this._cls.online;
    const lines = Object.entries(view.leaderboard.results).map(([key, line]) => ({ ...line, key }));
    // The wall shows first names; a repeated one carries its last initial so two people never look the same.
    const visible = lines.filter((l) => l.visible).map((l) => l.name);
    const distinct = distinctFirstNames(visible);
    const shown = new Map(visible.map((n, i) => [n, distinct[i]!]));
    const rows = boardRows(lines, (l) => ({ key: l.key, name: l.visible ? (shown.get(l.name) ?? firstName(l.name)) : "Anonymous" }));
    return html`<header>
        <div>
          <h1>${s.className}</h1>
          <div class="when">${formatTime(s.startsAt, tz)}–${formatTime(s.endsAt, tz)} · ${s.locationName}${s.coachName ? ` · ${s.coachName}` : ""}</div>
        </div>
        <div>
          <span class="live ${live ? "" : "stale"}" role="status">${live ? "● Live" : "Reconnecting…"}</span>
          ${this._next()}
        </div>
      </header>
      ${
        w
          ? html`<div class="wod">
              <h2>${w.title}</h2>
              ${w.description ? html`<p class="description">${w.description}</p>` : nothing}
              <p>${ScoreTypeLabels[w.scoreType]} · ${w.divisions.map((d) => DivisionLabels[d]).join(" / ")}</p>
            </div>
            ${this._tables(rows)}`
          : html`<p class="waiting">Today's workout will appear here.</p>`
      }
      ${s.status === "cancelled" ? html`<p class="waiting">This class is cancelled.</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "board-screen": BoardScreen;
  }
}
