import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";

const PALETTE = ["#1f5fbf", "#2e7d4f", "#8a4b00", "#6a4c93", "#b0306a", "#0f7490", "#a23b1d", "#4a5160"];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase();
}

function colorOf(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/**
 * A person on a roster: initials avatar, name, and an optional short badge ("Frozen", "Note").
 * `tone` colours the badge: `warn` for things staff must look at.
 *
 * @example
 * html`<member-chip name="Ana Berg" badge="Knee injury" tone="warn"></member-chip>`
 */
@customElement("member-chip")
export class MemberChip extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
      min-width: 0;
    }
    .avatar {
      flex: none;
      width: 2rem;
      height: 2rem;
      border-radius: 50%;
      display: grid;
      place-items: center;
      color: #fff;
      font-size: 0.8rem;
      font-weight: 600;
    }
    /* Wraps (a long email breaks anywhere) so a roster row fits a phone instead of pushing the page sideways. */
    .name {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .sub {
      display: block;
      font-size: 0.75rem;
      color: var(--spotter-muted, #4a5160);
    }
    .badge {
      flex: none;
      font-size: 0.7rem;
      padding: 0.1rem 0.4rem;
      border-radius: 0.6rem;
      background: #eef1f5;
      color: #333a45;
    }
    .badge.warn {
      background: #fff0d6;
      color: #7a4200;
    }
    .badge.bad {
      background: #fde2e1;
      color: #9b1c1c;
    }
  `;

  @property() name = "";
  /** A second line (email, plan). */
  @property() sub = "";
  @property() badge = "";
  @property() tone: "info" | "warn" | "bad" = "info";

  override render() {
    return html`
      <span class="avatar" style="background:${colorOf(this.name)}" aria-hidden="true">${initials(this.name)}</span>
      <span class="name">${this.name}${this.sub ? html`<span class="sub">${this.sub}</span>` : ""}</span>
      ${this.badge ? html`<span class="badge ${this.tone}">${this.badge}</span>` : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-chip": MemberChip;
  }
}
