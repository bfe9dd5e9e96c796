import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { errorMessage } from "../../domain/client/index.js";
import type { FeedCard, FeedPage } from "../../domain/protocol/feed.js";
import type { PublicGymView } from "../../domain/views/gymView.js";
import "../../web/shared/capacity-bar.js";
import "./feed-card.js";
import { formatTime, localDate } from "./format.js";
import type { Listen } from "./openClient.js";
import type { Send } from "./types.js";

const newestFirst = (a: FeedCard, b: FeedCard) => b.at - a.at || (a.id < b.id ? 1 : -1);

/**
 * The gym right now (live numbers from the gym room) and the activity feed: cards arrive live
 * (`feed:posted`) on top, older pages on request; reactions, comments and reports on each card.
 * The feed is watched again after every reconnect (a new connection has no subscriptions).
 */
@customElement("member-feed")
export class MemberFeed extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
      gap: 0.5rem;
    }
    .stat {
      background: var(--card, #fff);
      border-radius: 0.75rem;
      padding: 0.9rem;
      box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
    }
    .big {
      font-size: 2rem;
      font-weight: 700;
    }
    .label,
    .note {
      color: var(--muted, #5b6470);
      font-size: 0.9rem;
    }
    h2 {
      font-size: 1.1rem;
      margin: 1rem 0 0.5rem;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    .more {
      margin-top: 0.75rem;
      min-height: 2.75rem;
      width: 100%;
      border-radius: 0.6rem;
      border: 1px solid #c4cad2;
      background: #fff;
      font: inherit;
    }
    .more:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
  `;

  @property({ attribute: false }) gym: PublicGymView | null = null;
  @property({ type: Number }) now = 0;
  @property({ attribute: false }) send: Send | undefined;
  @property({ attribute: false }) listen: Listen | undefined;
  @property() gymId = "";
  @property() userId = "";
  @property({ type: Boolean }) online = false;
  @state() private _cards: FeedCard[] | null = null;
  @state() private _next: string | null = null;
  @state() private _error = "";
  @state() private _announce = "";
  private _stopListen: (() => void) | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stopListen?.();
    this._stopListen = undefined;
    if (this.online && this.send && this.gymId) void this.send(`gym:${this.gymId}`, "feed:unwatch", {});
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("listen") || (this.listen && !this._stopListen)) {
      this._stopListen?.();
      this._stopListen = this.listen?.("feed:posted", this._onPosted);
    }
    if ((changed.has("online") || changed.has("gymId") || changed.has("send")) && this.online && this.send && this.gymId)
      void this._watch();
  }

  override render() {
    const tz = this.gym?.gym.timeZone ?? "UTC";
    return html`${this._stats()}
      <section aria-labelledby="feed-h" @card-changed=${this._onCardChanged} @actor-blocked=${this._onBlocked}>
        <h2 id="feed-h">Activity</h2>
        <p class="sr-only" aria-live="polite" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">${this._announce}</p>
        ${this._error ? html`<p class="note" role="alert">${this._error}</p>` : nothing}
        ${
          this._cards === null
            ? html`<p class="note" role="status">${this.online ? "Loading the feed…" : "Offline — reconnecting…"}</p>`
            : this._cards.length === 0
              ? html`<p class="note">Nothing here yet — log a workout or join a challenge and it shows up for your gym.</p>`
              : html`<ol>
                ${repeat(
                  this._cards,
                  (c) => c.id,
                  (c) => html`<li>
                    <feed-card .card=${c} .send=${this.send} gymId=${this.gymId} userId=${this.userId} timeZone=${tz} .now=${this.now} ?online=${this.online}></feed-card>
                  </li>`,
                )}
              </ol>`
        }
        ${this._next ? html`<button class="more" ?disabled=${!this.online} @click=${this._onMore}>Older posts</button>` : nothing}
      </section>`;
  }

  private _stats() {
    if (!this.gym) return html`<p role="status" class="note">Loading…</p>`;
    const tz = this.gym.gym.timeZone;
    const today = localDate(this.now, tz);
    const todays = Object.values(this.gym.schedule).filter((e) => e.status !== "cancelled" && localDate(e.startsAt, tz) === today);
    const booked = todays.reduce((n, e) => n + e.booked, 0);
    const capacity = todays.reduce((n, e) => n + e.capacity, 0);
    const next = todays.filter((e) => e.startsAt > this.now).sort((a, b) => a.startsAt - b.startsAt)[0];
    return html`<h2>${this.gym.gym.name} right now</h2>
      <div class="grid" aria-live="polite">
        <div class="stat">
          <div class="big" data-testid="occupancy">${this.gym.occupancy}</div>
          <div class="label">${this.gym.occupancy === 1 ? "member" : "members"} checked in (last 90 min)</div>
        </div>
        <div class="stat">
          <div class="big">${booked}<span class="label"> / ${capacity}</span></div>
          <div class="label">spots booked in today's ${todays.length} ${todays.length === 1 ? "class" : "classes"}</div>
        </div>
        ${
          next
            ? html`<div class="stat">
              <div class="label">Next: ${next.className}, ${formatTime(next.startsAt, tz)}</div>
              <capacity-bar .booked=${next.booked} .capacity=${next.capacity} .checkedIn=${next.checkedIn} .waitlist=${next.waitlist}></capacity-bar>
            </div>`
            : ""
        }
      </div>`;
  }

  private _merge(cards: readonly FeedCard[]): void {
    const byId = new Map((this._cards ?? []).map((c) => [c.id, c]));
    for (const c of cards) byId.set(c.id, c);
    this._cards = [...byId.values()].sort(newestFirst);
  }

  private async _watch(): Promise<void> {
    const ack = await this.send!<FeedPage>(`gym:${this.gymId}`, "feed:watch", {});
    if (!ack.ok) return void (this._error = `We couldn't load the feed: ${errorMessage(ack.error)}`);
    this._error = "";
    // Cards are stored per id: a reconnect's first page refreshes counts, older pages loaded before stay.
    this._merge(ack.result.cards);
    if (this._next === null || this._cards!.length <= ack.result.cards.length) this._next = ack.result.nextCursor;
  }

  private readonly _onPosted = (post: { gymId: string; card: FeedCard }): void => {
    if (post.gymId !== this.gymId || this._cards === null) return;
    const fresh = !this._cards.some((c) => c.id === post.card.id);
    this._merge([post.card]);
    if (fresh) this._announce = `New in the feed: ${post.card.actor.id === this.userId ? "your post" : post.card.actor.firstName}`;
  };

  private _onCardChanged(e: CustomEvent<FeedCard>): void {
    this._merge([e.detail]);
  }

  private _onBlocked(e: CustomEvent<string>): void {
    this._cards = (this._cards ?? []).filter((c) => c.actor.id !== e.detail);
  }

  private async _onMore(): Promise<void> {
    if (!this._next || !this.send) return;
    const ack = await this.send<FeedPage>(`gym:${this.gymId}`, "feed:page", { cursor: this._next });
    if (!ack.ok) return void (this._error = errorMessage(ack.error));
    this._merge(ack.result.cards);
    this._next = ack.result.nextCursor;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-feed": MemberFeed;
  }
}
