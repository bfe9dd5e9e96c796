import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Notice } from "../../domain/notices/inbox.js";
import type { UserView } from "../../domain/views/userView.js";
import { plainList } from "./styles.js";

const KEY = "spotter.member.dismissedNotices";
const RECENT_MS = 3 * 86_400_000;

function loadDismissed(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(KEY) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

/**
 * What the gym tells me at once — "You're in: Thu 07:00 Strength" — shown on every screen until I
 * dismiss it. Dismissals are remembered on this device.
 */
@customElement("member-notices")
export class MemberNotices extends LitElement {
  static override styles = [
    plainList,
    css`
      :host {
        display: block;
      }
      ul {
        gap: 0.4rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.7rem 0.8rem;
        border-radius: 0.75rem;
        background: var(--notice-bg, #fff4c2);
        color: var(--notice-ink, #3d2e00);
        font-weight: 600;
        box-shadow: 0 2px 6px rgb(0 0 0 / 0.12);
      }
      li.promoted {
        background: var(--accent, #127a52);
        color: #fff;
      }
      li.class_cancelled,
      li.offer_expired {
        background: #fde8e6;
        color: #8a1c12;
      }
      span {
        flex: 1;
      }
      button {
        min-width: 2.75rem;
        min-height: 2.75rem;
        border: none;
        border-radius: 0.5rem;
        background: rgb(0 0 0 / 0.08);
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
      button:focus-visible {
        outline: 3px solid var(--focus, #1d4ed8);
        outline-offset: 2px;
      }
    `,
  ];

  @property({ attribute: false }) user: UserView | null = null;
  @property({ type: Number }) now = 0;
  @state() private _dismissed = loadDismissed();

  override render() {
    const shown = Object.values(this.user?.notices ?? {})
      .filter((n) => n.readAt === null && !this._dismissed.has(n.id) && this.now - n.at < RECENT_MS)
      .sort((a, b) => b.at - a.at)
      .slice(0, 3);
    if (shown.length === 0) return html``;
    return html`<ul aria-label="Notices">
      ${shown.map(
        (n) => html`<li class=${n.kind} role="alert" data-testid="notice">
          <span>${n.text}</span>
          <button aria-label="Dismiss: ${n.text}" @click=${() => this._onDismiss(n)}>✕</button>
        </li>`,
      )}
    </ul>`;
  }

  private _onDismiss(n: Notice) {
    const next = new Set(this._dismissed).add(n.id);
    // Keep the stored list bounded: notices live for days, not forever.
    localStorage.setItem(KEY, JSON.stringify([...next].slice(-100)));
    this._dismissed = next;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-notices": MemberNotices;
  }
}
