import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ReactionKinds, type ReactionKind } from "../../domain/feed/social.js";
import type { FeedCard, FeedCommentView } from "../../domain/protocol/feed.js";
import { cardText } from "../../web/shared/feedText.js";
import { errorWithFields } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { formatTime, relativeDay } from "./format.js";
import { buttonStates, plainList, textInputs } from "./styles.js";
import type { Send } from "./types.js";

const ReactionLabels: Record<ReactionKind, string> = { kudos: "Kudos", fire: "Fire", strong: "Strong" };

/**
 * One feed card: what happened, reactions (toggle), comments (open to read and write) and a report
 * to the gym's staff. Tells its list about changes with `card-changed`.
 */
@customElement("feed-card")
export class FeedCardElement extends LitElement {
  static override styles = [
    buttonStates,
    plainList,
    textInputs,
    css`
      :host {
        display: block;
      }
      article {
        background: var(--card, #fff);
        border-radius: 0.75rem;
        padding: 0.8rem;
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
        display: grid;
        gap: 0.4rem;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
      }
      .detail,
      .when,
      .muted {
        color: var(--muted, #5b6470);
        font-size: 0.85rem;
        margin: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      button {
        min-height: 2.75rem;
        min-width: 2.75rem;
        padding: 0 0.7rem;
        border-radius: 1.4rem;
        border: 1px solid #c4cad2;
        background: #fff;
        font: inherit;
        font-size: 0.9rem;
        cursor: pointer;
      }
      button[aria-pressed="true"] {
        border-color: var(--accent, #127a52);
        background: var(--accent-soft, #dff3ea);
        color: var(--accent-ink, #0b5a3c);
        font-weight: 600;
      }
      button.link {
        border: none;
        background: transparent;
        color: var(--accent-ink, #0b5a3c);
        text-decoration: underline;
        padding: 0 0.3rem;
      }
      ul {
        gap: 0.4rem;
      }
      li {
        background: var(--bg, #f3f5f7);
        border-radius: 0.5rem;
        padding: 0.45rem 0.6rem;
        font-size: 0.95rem;
      }
      li strong {
        margin-right: 0.3rem;
      }
      form {
        display: flex;
        gap: 0.4rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.2rem;
        flex: 1;
        font-size: 0.85rem;
        color: var(--muted, #5b6470);
      }
    `,
  ];

  @property({ attribute: false }) card!: FeedCard;
  @property({ attribute: false }) send: Send | undefined;
  @property() gymId = "";
  @property() userId = "";
  @property() timeZone = "UTC";
  @property({ type: Number }) now = 0;
  @property({ type: Boolean }) online = false;
  @state() private _comments: FeedCommentView[] | null = null;
  @state() private _open = false;
  @state() private _draft = "";
  @state() private _reporting: { target: "event" | "comment"; id: string } | null = null;
  @state() private _reason = "";
  @state() private _busy = false;
  @state() private _error = "";
  @state() private _confirmBlock = false;

  override render() {
    const c = this.card;
    const mine = c.actor.id === this.userId;
    const { headline, detail } = cardText(c, mine ? "You" : c.actor.firstName);
    const off = !this.online || this._busy;
    return html`<article aria-labelledby="h-${c.id}" data-kind=${c.kind}>
      <h3 id="h-${c.id}">${headline}</h3>
      ${detail ? html`<p class="detail">${detail}</p>` : nothing}
      <p class="when">${relativeDay(c.at, this.timeZone, this.now)}, ${formatTime(c.at, this.timeZone)}${mine && c.visibility ? ` · visible to: ${c.visibility}` : ""}</p>
      <div class="actions">
        ${ReactionKinds.map((k) => {
          const pressed = c.mine.includes(k);
          return html`<button aria-pressed=${pressed ? "true" : "false"} data-reaction=${k} ?disabled=${off} @click=${() => this._react(k)}>
            ${ReactionLabels[k]} ${c.reactions[k] ?? 0}
          </button>`;
        })}
        <button aria-expanded=${this._open ? "true" : "false"} ?disabled=${!this.online} @click=${this._toggleComments}>
          Comments (${c.comments})
        </button>
        ${mine ? nothing : html`<button class="link" ?disabled=${off} @click=${() => this._startReport("event", c.id)}>Report</button>`}
        ${
          mine
            ? nothing
            : this._confirmBlock
              ? html`<button class="link" ?disabled=${off} @click=${this._onBlock}>Yes, block ${c.actor.firstName}</button>
                <button class="link" @click=${() => (this._confirmBlock = false)}>Keep</button>`
              : html`<button class="link" ?disabled=${off} @click=${() => (this._confirmBlock = true)}>Block ${c.actor.firstName}</button>`
        }
      </div>
      ${this._confirmBlock ? html`<p class="muted" role="status">You and ${c.actor.firstName} won't see each other's posts or comments anywhere.</p>` : nothing}
      ${this._reporting ? this._reportForm() : nothing} ${this._open ? this._commentsPanel(off) : nothing}
      ${this._error ? html`<p class="muted" role="alert">${this._error}</p>` : nothing}
    </article>`;
  }

  private _commentsPanel(off: boolean) {
    const list = this._comments;
    return html`<section aria-label="Comments">
      ${
        list === null
          ? html`<p class="muted" role="status">Loading comments…</p>`
          : list.length === 0
            ? html`<p class="muted">No comments yet.</p>`
            : html`<ul>
              ${list.map(
                (m) => html`<li>
                  <strong>${m.author.id === this.userId ? "You" : m.author.firstName}</strong>${m.body}
                  ${
                    m.author.id === this.userId
                      ? nothing
                      : html`<button class="link" aria-label="Report ${m.author.firstName}'s comment" ?disabled=${off} @click=${() => this._startReport("comment", m.id)}>Report</button>`
                  }
                </li>`,
              )}
            </ul>`
      }
      <form @submit=${this._onComment}>
        <label
          >Add a comment
          <input maxlength="500" .value=${this._draft} ?disabled=${off} @input=${(e: Event) => (this._draft = (e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" ?disabled=${off || this._draft.trim() === ""}>Post</button>
      </form>
    </section>`;
  }

  private _reportForm() {
    const what = this._reporting?.target === "comment" ? "this comment" : "this post";
    return html`<form @submit=${this._onReport} aria-label="Report ${what}">
      <label
        >Why report ${what}? (optional)
        <input maxlength="500" .value=${this._reason} @input=${(e: Event) => (this._reason = (e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" ?disabled=${!this.online || this._busy}>Send report</button>
      <button type="button" class="link" @click=${() => (this._reporting = null)}>Cancel</button>
    </form>`;
  }

  private async _run<T>(type: string, payload: Record<string, unknown>): Promise<T | null> {
    if (!this.send) return null;
    this._busy = true;
    this._error = "";
    try {
      const ack = await this.send<T>(`gym:${this.gymId}`, type, payload);
      if (ack.ok) return ack.result;
      this._error = errorWithFields(ack.error);
      return null;
    } finally {
      this._busy = false;
    }
  }

  private _changed(card: FeedCard): void {
    this.dispatchEvent(new CustomEvent<FeedCard>("card-changed", { detail: card, bubbles: true, composed: true }));
  }

  private async _react(kind: ReactionKind): Promise<void> {
    const r = await this._run<{ reacted: boolean; reactions: Record<ReactionKind, number> }>("feed:react", { eventId: this.card.id, kind });
    if (!r) return;
    const mine = r.reacted ? [...new Set([...this.card.mine, kind])] : this.card.mine.filter((k) => k !== kind);
    this._changed({ ...this.card, reactions: r.reactions, mine });
  }

  private async _toggleComments(): Promise<void> {
    this._open = !this._open;
    if (!this._open) return;
    const r = await this._run<{ comments: FeedCommentView[] }>("feed:comments", { eventId: this.card.id });
    this._comments = r?.comments ?? [];
  }

  private async _onComment(e: Event): Promise<void> {
    e.preventDefault();
    const r = await this._run<{ comment: FeedCommentView }>("feed:comment", { eventId: this.card.id, body: this._draft });
    if (!r) return;
    this._draft = "";
    this._comments = [...(this._comments ?? []), r.comment];
    this._changed({ ...this.card, comments: this.card.comments + 1 });
  }

  private async _onBlock(): Promise<void> {
    const actor = this.card.actor;
    const r = await this._run("feed:block", { memberId: actor.id, block: true });
    if (r === null) return;
    this._confirmBlock = false;
    toasts.success(`${actor.firstName} is blocked.`);
    this.dispatchEvent(new CustomEvent<string>("actor-blocked", { detail: actor.id, bubbles: true, composed: true }));
  }

  private _startReport(target: "event" | "comment", id: string): void {
    this._reporting = { target, id };
    this._reason = "";
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form[aria-label^="Report"] input')?.focus());
  }

  private async _onReport(e: Event): Promise<void> {
    e.preventDefault();
    if (!this._reporting) return;
    const r = await this._run("feed:report", { target: this._reporting.target, id: this._reporting.id, reason: this._reason.trim() });
    if (r === null) return;
    this._reporting = null;
    toasts.success("Thanks — the gym's staff will take a look.");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "feed-card": FeedCardElement;
  }
  interface HTMLElementEventMap {
    "card-changed": CustomEvent<FeedCard>;
    /** Detail: the blocked member's id (their cards leave the list). */
    "actor-blocked": CustomEvent<string>;
  }
}
