import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { PublicGymView, ScheduleEntry } from "../../domain/views/gymView.js";
import type { MyBooking, MyWaitlistPlace, UserView } from "../../domain/views/userView.js";
import { isLiveBooking, isOpenPlace } from "./actions.js";
import { localDate, relativeDay } from "./format.js";
import "./member-session-card.js";
import "./member-wod.js";
import { plainList } from "./styles.js";

/** The next 7 days of classes, by location and class type, with live counts; today's booked classes (even once over) carry their workout. */
@customElement("member-schedule")
export class MemberSchedule extends LitElement {
  static override styles = [
    plainList,
    css`
      :host {
        display: block;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-bottom: 0.75rem;
      }
      label {
        display: flex;
        flex-direction: column;
        font-size: 0.8rem;
        color: var(--muted, #5b6470);
        flex: 1 1 9rem;
      }
      select {
        min-height: 2.75rem;
        font: inherit;
        font-size: 1rem;
        border-radius: 0.5rem;
        border: 1px solid #c4cad2;
        background: #fff;
        padding: 0 0.5rem;
      }
      h2 {
        font-size: 1rem;
        margin: 1.25rem 0 0.5rem;
      }
      ul {
        gap: 0.5rem;
      }
      .empty {
        color: var(--muted, #5b6470);
      }
      /* The week at a glance: one chip per day, scrolling inside the strip on a phone (never the page). */
      .strip {
        position: relative;
        display: flex;
        gap: 0.4rem;
        overflow-x: auto;
        padding: 0.15rem 0.1rem 0.4rem;
        margin-bottom: 0.5rem;
        scrollbar-width: thin;
      }
      .strip button {
        position: relative;
        flex: none;
        display: grid;
        justify-items: center;
        min-width: 3.25rem;
        min-height: 2.75rem;
        padding: 0.3rem 0.5rem;
        border-radius: 0.6rem;
        border: 1px solid #c4cad2;
        background: #fff;
        color: #1f2328;
        font: inherit;
        font-size: 0.8rem;
        line-height: 1.15;
        cursor: pointer;
      }
      .strip button strong {
        font-size: 1.05rem;
      }
      .strip button[aria-current="date"] {
        border-color: var(--accent, #127a52);
        box-shadow: inset 0 0 0 1px var(--accent, #127a52);
      }
      .strip button:disabled {
        color: #5b6470;
        background: #eef1f4;
        cursor: default;
      }
      .strip button:focus-visible {
        outline: 3px solid var(--focus, #1d4ed8);
        outline-offset: 2px;
      }
      .sr-only {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      section {
        scroll-margin-top: 5rem;
      }
      .desc {
        margin: 0.25rem 0.25rem 0;
        font-size: 0.85rem;
        color: var(--muted, #5b6470);
      }
    `,
  ];

  @property({ attribute: false }) gym: PublicGymView | null = null;
  @property({ attribute: false }) user: UserView | null = null;
  /** For the workout of today's booked classes (each watches its class room). */
  @property({ attribute: false }) client: SpotterClient | null = null;
  @property({ type: Number }) now = 0;
  @property({ type: Boolean }) online = false;
  @state() private _location = "";
  @state() private _classType = "";

  override render() {
    if (!this.gym) return html`<p class="empty" role="status">Loading the schedule…</p>`;
    const tz = this.gym.gym.timeZone;
    const { bookings, places } = this._mine();
    const today = localDate(this.now, tz);
    const isTodaysBooked = (e: ScheduleEntry) => bookings.has(e.id) && e.status !== "cancelled" && localDate(e.startsAt, tz) === today;
    const entries = Object.values(this.gym.schedule)
      .filter((e) => (e.endsAt > this.now || isTodaysBooked(e)) && (!this._location || e.locationId === this._location))
      .filter((e) => !this._classType || e.classTypeId === this._classType)
      .sort((a, b) => a.startsAt - b.startsAt || a.locationName.localeCompare(b.locationName));
    const days = new Map<string, ScheduleEntry[]>();
    for (const e of entries) {
      const key = localDate(e.startsAt, tz);
      days.set(key, [...(days.get(key) ?? []), e]);
    }
    return html`
      ${this._strip(days, tz)}
      <div class="filters">
        <label
          >Location
          <select @change=${this._onLocation} .value=${this._location}>
            <option value="">All locations</option>
            ${Object.entries(this.gym.locations).map(([id, name]) => html`<option value=${id} ?selected=${id === this._location}>${name}</option>`)}
          </select>
        </label>
        <label
          >Class
          <select @change=${this._onClassType} .value=${this._classType}>
            <option value="">All classes</option>
            ${this._classTypes().map(([id, name]) => html`<option value=${id} ?selected=${id === this._classType}>${name}</option>`)}
          </select>
        </label>
      </div>
      ${days.size === 0 ? html`<p class="empty">No classes match — try another location or class.</p>` : ""}
      ${[...days].map(
        ([key, list]) => html`<section aria-labelledby="day-${key}">
          <h2 id="day-${key}">${relativeDay(list[0]!.startsAt, tz, this.now)}</h2>
          <ul>
            ${repeat(
              list,
              (e) => e.id,
              (e) => html`<li>
                <member-session-card
                  .entry=${e}
                  .booking=${bookings.get(e.id)}
                  .place=${places.get(e.id)}
                  .timeZone=${tz}
                  .now=${this.now}
                  .online=${this.online}
                ></member-session-card>
                ${this.gym!.classTypes[e.classTypeId]?.description ? html`<p class="desc">${this.gym!.classTypes[e.classTypeId]!.description}</p>` : ""}
                ${
                  this.client && isTodaysBooked(e)
                    ? html`<member-wod .client=${this.client} .sessionId=${e.id} .classLabel=${e.className} .timeZone=${tz} .now=${this.now} .online=${this.online}></member-wod>`
                    : ""
                }
              </li>`,
            )}
          </ul>
        </section>`,
      )}
    `;
  }

  /** Seven day chips from today; a chip jumps to its day's classes (disabled on a day with none). */
  private _strip(days: ReadonlyMap<string, ScheduleEntry[]>, tz: string) {
    const chips = Array.from({ length: 7 }, (_, i) => {
      const at = this.now + i * 86_400_000;
      return { key: localDate(at, tz), at };
    });
    const weekday = new Intl.DateTimeFormat(undefined, { timeZone: tz, weekday: "short" });
    const dayNum = new Intl.DateTimeFormat(undefined, { timeZone: tz, day: "numeric" });
    return html`<nav class="strip" aria-label="Jump to a day">
      ${chips.map(
        (c, i) => html`<button
          type="button"
          data-day=${c.key}
          aria-current=${i === 0 ? "date" : "false"}
          ?disabled=${!days.has(c.key)}
          @click=${() => this._onDay(c.key)}
        >
          <span>${i === 0 ? "Today" : weekday.format(c.at)}</span><strong>${dayNum.format(c.at)}</strong
          ><span class="sr-only">${days.has(c.key) ? `, ${days.get(c.key)!.length} classes` : ", no classes"}</span>
        </button>`,
      )}
    </nav>`;
  }

  private _onDay(key: string) {
    this.renderRoot
      .querySelector(`#day-${key}`)
      ?.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }

  private _mine(): { bookings: Map<string, MyBooking>; places: Map<string, MyWaitlistPlace> } {
    const bookings = new Map<string, MyBooking>();
    const places = new Map<string, MyWaitlistPlace>();
    for (const b of Object.values(this.user?.bookings ?? {})) if (isLiveBooking(b)) bookings.set(b.sessionId, b);
    for (const p of Object.values(this.user?.waitlist ?? {})) if (isOpenPlace(p)) places.set(p.sessionId, p);
    return { bookings, places };
  }

  private _classTypes(): [string, string][] {
    const types = new Map<string, string>();
    for (const e of Object.values(this.gym?.schedule ?? {})) types.set(e.classTypeId, e.className);
    return [...types].sort((a, b) => a[1].localeCompare(b[1]));
  }

  private _onLocation(e: Event) {
    this._location = (e.target as HTMLSelectElement).value;
  }

  private _onClassType(e: Event) {
    this._classType = (e.target as HTMLSelectElement).value;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-schedule": MemberSchedule;
  }
}
