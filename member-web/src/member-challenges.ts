import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { errorMessage } from "../../domain/client/index.js";
import { challengeProgress, type ChallengeListing } from "../../web/shared/challengeText.js";
import { IntervalController } from "../../web/shared/IntervalController.js";
import { toasts } from "../../web/shared/toasts.js";
import { relativeDay } from "./format.js";
import { accentButtons, plainList } from "./styles.js";
import type { Send } from "./types.js";

/** One challenge of `gym:challenges`, with my progress. */
export interface ChallengeLine extends ChallengeListing {
  me: { status: "joined" | "left" | "completed"; progress: number; completedAt: number | null } | null;
}

/** How often the list is asked again while shown: progress comes from check-ins and logs elsewhere. */
const REFRESH_MS = 30_000;

/** The gym's challenges: join or leave, and my progress towards each. */
@customElement("member-challenges")
export class MemberChallenges extends LitElement {
  static override styles = [
    accentButtons,
    plainList,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1.1rem;
        margin: 0.5rem 0;
      }
      ul {
        gap: 0.5rem;
      }
      li {
        background: var(--card, #fff);
        border-radius: 0.75rem;
        padding: 0.8rem;
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
        display: grid;
        gap: 0.35rem;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
      }
      .meta,
      .empty {
        color: var(--muted, #5b6470);
        font-size: 0.85rem;
        margin: 0;
      }
      progress {
        width: 100%;
        height: 0.6rem;
        accent-color: var(--accent, #127a52);
      }
      .row {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
      }
      .done {
        font-weight: 700;
        color: var(--accent-ink, #0b5a3c);
      }
      button {
        min-height: 2.75rem;
        padding: 0 1rem;
      }
      button.secondary {
        background: transparent;
        color: var(--accent-ink, #0b5a3c);
      }
      .error {
        color: var(--danger, #b42318);
      }
    `,
  ];

  @property({ attribute: false }) send: Send | undefined;
  @property() gymId = "";
  @property({ type: Boolean }) online = false;
  @property() timeZone = "UTC";
  @property({ type: Number }) now = 0;
  @state() private _list: ChallengeLine[] | null = null;
  @state() private _error = "";
  @state() private _busy = "";

  constructor() {
    super();
    new IntervalController(this, REFRESH_MS, () => void this._load());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("online") || changed.has("gymId") || changed.has("send")) && this.online) void this._load();
  }

  override render() {
    return html`<section aria-labelledby="challenges-h">
      <h2 id="challenges-h">Challenges</h2>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        this._list === null
          ? html`<p class="empty" role="status">${this.online ? "Loading challenges…" : "Offline — reconnecting…"}</p>`
          : this._list.length === 0
            ? html`<p class="empty">No challenges right now — your coaches will post the next one.</p>`
            : html`<ul>
              ${this._list.map((c) => this._item(c))}
            </ul>`
      }
    </section>`;
  }

  private _item(c: ChallengeLine) {
    const joined = c.me !== null && c.me.status !== "left";
    const done = c.me?.status === "completed";
    const progress = c.me?.progress ?? 0;
    const when = c.open ? `until ${relativeDay(c.endsAt, this.timeZone, this.now)}` : "ended";
    const off = !this.online || this._busy !== "";
    return html`<li data-challenge=${c.challengeId} aria-labelledby="c-${c.challengeId}">
      <h3 id="c-${c.challengeId}">${c.title}</h3>
      <p class="meta">
        ${c.movement ? `${c.movement} · ` : ""}${when} · ${c.participants} ${c.participants === 1 ? "member" : "members"} taking part
      </p>
      ${
        joined
          ? html`<progress max=${c.target} .value=${Math.min(progress, c.target)} aria-label="My progress in ${c.title}"></progress>
            <p class="meta" data-testid="progress">${challengeProgress(c.kind, progress, c.target)}${done ? html` · <span class="done">Completed!</span>` : nothing}</p>`
          : nothing
      }
      ${
        c.open && !done
          ? html`<div class="row">
            <span></span>
            ${
              joined
                ? html`<button class="secondary" ?disabled=${off} aria-label="Leave ${c.title}" @click=${() => this._act(c, "gym:leaveChallenge")}>Leave</button>`
                : html`<button ?disabled=${off} aria-label="Join ${c.title}" @click=${() => this._act(c, "gym:joinChallenge")}>Join</button>`
            }
          </div>`
          : nothing
      }
    </li>`;
  }

  private async _load(): Promise<void> {
    if (!this.send || !this.gymId || !this.online) return;
    const ack = await this.send<{ challenges: ChallengeLine[] }>(`gym:${this.gymId}`, "gym:challenges", {});
    if (ack.ok) {
      this._list = ack.result.challenges;
      this._error = "";
    } else this._error = `We couldn't load the challenges: ${errorMessage(ack.error)}`;
  }

  private async _act(c: ChallengeLine, type: "gym:joinChallenge" | "gym:leaveChallenge"): Promise<void> {
    if (!this.send) return;
    this._busy = c.challengeId;
    try {
      const ack = await this.send(`gym:${this.gymId}`, type, { challengeId: c.challengeId });
      if (!ack.ok) return void toasts.error(ack.error);
      toasts.success(type === "gym:joinChallenge" ? `You joined ${c.title}.` : `You left ${c.title}.`);
      await this._load();
    } finally {
      this._busy = "";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-challenges": MemberChallenges;
  }
}
