import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import "./checkin-feed.js";
import "./desk-result.js";
import type { DeskOutcome } from "./desk-result.js";
import "./member-search.js";
import "./presence-code.js";
import type { MemberSearch } from "./member-search.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import type { DeskCheckInResult, MemberHit, StaffMe } from "./types.js";
import { formatTime, localDate } from "../../web/shared/format.js";
import { staffDenialMessage } from "../../domain/checkin/denials.js";
import { streakLabel } from "../../domain/attendance/streak.js";
import { denialMessage, errorMessage } from "../../web/shared/messages.js";
import { RoomController } from "../../web/shared/RoomController.js";

/**
 * The front-desk kiosk at /admin/desk: scan a code (keyboard-wedge scanners type it and press
 * Enter) or search a name, see ✔/✘ with the reason in large type, and the live list of check-ins.
 * Offline, inputs are disabled and the banner says so — nothing is queued.
 */
@customElement("desk-screen")
export class DeskScreen extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        background: #eef1f5;
        padding: 1.25rem 1.5rem;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        margin-bottom: 1rem;
      }
      header h1 {
        font-size: 1.8rem;
        margin: 0;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr);
        gap: 1.25rem;
        align-items: start;
      }
      .inputs {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 1rem;
        margin-top: 1rem;
      }
      .inputs input {
        font-size: 1.3rem;
        min-height: 3.25rem;
        width: 100%;
      }
      member-search {
        --results-min-height: 14rem;
        --search-font-size: 1.3rem;
        --search-min-height: 3.25rem;
      }
      .offline {
        color: #7f1d1d;
        font-weight: 600;
        min-height: 1.5em;
        margin: 0.5rem 0 0;
      }
      .boards {
        margin-top: 1.25rem;
      }
      .boards ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .boards a {
        display: inline-block;
        padding: 0.5rem 0.8rem;
        border: 1px solid #c4cad4;
        border-radius: 0.5rem;
        text-decoration: none;
        color: #14213d;
        background: #fff;
      }
      @media (max-width: 900px) {
        .layout,
        .inputs {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _outcome: DeskOutcome = { kind: "idle" };
  @state() private _code = "";
  @query("#scan") private _scan!: HTMLInputElement;
  @query("member-search") private _search!: MemberSearch;
  private _gym!: RoomController<StaffGymView>;
  private _busy = false;

  override connectedCallback(): void {
    this._gym ??= new RoomController<StaffGymView>(this, this.client, `gym:${this.me.gymId}`);
    super.connectedCallback();
  }

  protected override firstUpdated(): void {
    this._scan.focus();
  }

  override render() {
    const online = this._gym.online;
    const view = this._gym.view;
    return html`
      <header>
        <h1>${this.me.gymName} · Front desk</h1>
        ${this.me.role === "front_desk" ? nothing : html`<a href=${href({ name: "today" })}>Back to admin</a>`}
      </header>
      <div class="layout">
        <section aria-label="Check in">
          <desk-result .outcome=${this._outcome}></desk-result>
          <p class="offline" role="alert">${online ? "" : "Offline — check-ins are paused until the connection is back."}</p>
          <div class="inputs">
            <form @submit=${this._onScan}>
              <label
                >Scan code
                <input
                  id="scan"
                  name="code"
                  autocomplete="off"
                  placeholder="Scan or type a code, then Enter"
                  .value=${this._code}
                  ?disabled=${!online}
                  @input=${this._onCodeInput}
              /></label>
            </form>
            <member-search .client=${this.client} .gymId=${this.me.gymId} label="Find member" ?disabled=${!online} @member-picked=${this._onPicked}></member-search>
          </div>
        </section>
        <div>
          <presence-code .client=${this.client} .me=${this.me}></presence-code>
          <section class="card" aria-labelledby="feed-h">
            <h2 id="feed-h">Latest check-ins</h2>
            ${view ? html`<checkin-feed .items=${view.checkIns} .timeZone=${this.me.timeZone}></checkin-feed>` : html`<p role="status">Loading…</p>`}
          </section>
        </div>
      </div>
      ${view ? this._boards(view) : nothing}
    `;
  }

  /** Today's classes, each with a link to its leaderboard for the gym's TV. */
  private _boards(view: StaffGymView) {
    const tz = this.me.timeZone;
    const today = localDate(Date.now(), tz);
    const classes = Object.values(view.schedule)
      .filter((e) => e.status !== "cancelled" && localDate(e.startsAt, tz) === today)
      .sort((a, b) => a.startsAt - b.startsAt);
    return html`<section class="card boards" aria-labelledby="boards-h">
      <h2 id="boards-h">Class leaderboards for the TV</h2>
      ${classes.length === 0
        ? html`<p class="muted">No classes today.</p>`
        : html`<ul>
            ${classes.map(
              (e) => html`<li>
                <a href=${href({ name: "board", id: e.id })} target="_blank" rel="noopener"
                  >${formatTime(e.startsAt, tz)} ${e.className} · ${e.locationName}<span class="sr-only"> (opens the TV board in a new tab)</span></a
                >
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private _onCodeInput(e: Event): void {
    this._code = (e.target as HTMLInputElement).value;
  }

  private _onScan(e: Event): void {
    e.preventDefault();
    const code = this._code.trim();
    this._code = "";
    if (code) void this._checkIn({ code, source: "qr" }, "code");
  }

  private _onPicked(e: CustomEvent<MemberHit>): void {
    this._search.clear();
    void this._checkIn({ memberId: e.detail.memberId, source: "desk" }, e.detail.name);
  }

  private async _checkIn(payload: Record<string, string>, label: string): Promise<void> {
    if (this._busy) return;
    this._busy = true;
    this._outcome = { kind: "pending", label };
    try {
      const ack = await this.client.command<DeskCheckInResult>(`gym:${this.me.gymId}`, "gym:checkIn", payload);
      this._outcome = ack.ok ? this._describe(ack.result, label) : { kind: "error", message: errorMessage(ack.error) };
    } finally {
      this._busy = false;
      this._scan?.focus();
    }
  }

  private _describe(r: DeskCheckInResult, label: string): DeskOutcome {
    const name = r.memberName ?? (label === "code" ? "Unknown code" : label);
    const detail = r.className ? `Class: ${r.className}` : (r.message ?? "");
    if (r.status === "checked_in") return { kind: "accepted", name, detail: r.streak ? `${detail} · ${streakLabel(r.streak)}` : detail };
    if (r.status === "already_checked_in") return { kind: "already", name, detail };
    // The desk reads what to do (staff wording), not the member's "ask the front desk".
    const staff = staffDenialMessage(r.reason, r.frozenUntil);
    return { kind: "denied", name, reason: staff ?? r.message ?? denialMessage(r.reason) };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-screen": DeskScreen;
  }
}
