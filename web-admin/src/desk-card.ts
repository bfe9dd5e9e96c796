import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { formatMoney } from "../../domain/format.js";
import { currentToken } from "./token.js";

interface Card {
  memberId: string;
  name: string;
  photoUpdatedAt: number | null;
  plan: { name: string; kind: string } | null;
  credits: number | null;
  owedCents: number;
  currency: string;
  alerts: { kind: string; text: string }[];
}

/**
 * Beside the check-in result: the member's photo, plan and balance, what they owe and the alerts staff act on, in type
 * big enough to read from a metre away. Empty when `memberId` is empty (the desk clears it for the next person).
 */
@customElement("desk-card")
export class DeskCard extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .card {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 1rem 1.5rem;
      align-items: start;
      margin-top: 0.75rem;
      padding: 1rem 1.25rem;
      border-radius: 1rem;
      background: #fff;
      font-size: clamp(1.15rem, 2vw, 1.5rem);
    }
    img,
    .nophoto {
      width: 7.5rem;
      height: 7.5rem;
      border-radius: 0.75rem;
      object-fit: cover;
      background: #e3e7ee;
      display: grid;
      place-items: center;
      font-size: 3rem;
      color: #4a5160;
    }
    .facts {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 1.5rem;
      font-weight: 700;
    }
    .owes {
      color: #7f1d1d;
    }
    ul {
      list-style: none;
      margin: 0.6rem 0 0;
      padding: 0;
      display: grid;
      gap: 0.4rem;
    }
    li {
      padding: 0.35rem 0.7rem;
      border-radius: 0.5rem;
      background: #fff4d6;
      color: #5c3c00;
      font-weight: 700;
    }
    li[data-kind="waiver_missing"],
    li[data-kind="owes"],
    li[data-kind="frozen"],
    li[data-kind="injury"] {
      background: #fde2e1;
      color: #7f1d1d;
    }
    li[data-kind="birthday"] {
      background: #e6eefb;
      color: #173a7a;
    }
    @media (max-width: 640px) {
      .card {
        grid-template-columns: 1fr;
      }
    }
  `;

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() memberId = "";
  @state() private _card: Card | null = null;
  @state() private _photo = "";

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("memberId")) void this._load(this.memberId);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._setPhoto("");
  }

  override render() {
    const c = this._card;
    if (!c || c.memberId !== this.memberId) return nothing;
    const balance = c.credits !== null ? `${c.credits} ${c.credits === 1 ? "credit" : "credits"}` : "";
    return html`<section class="card" aria-label="About ${c.name}" data-testid="desk-card">
      ${this._photo ? html`<img src=${this._photo} alt="Photo of ${c.name}" />` : html`<span class="nophoto" aria-hidden="true">${c.name.slice(0, 1)}</span>`}
      <div>
        <div class="facts">
          <span data-fact="plan">${c.plan ? c.plan.name : "No plan"}</span>
          ${balance ? html`<span data-fact="balance">${balance}</span>` : nothing}
          <span data-fact="owed" class=${c.owedCents > 0 ? "owes" : ""}>${c.owedCents > 0 ? `Owes ${formatMoney(c.owedCents, c.currency)}` : "Nothing owed"}</span>
        </div>
        ${c.alerts.length ? html`<ul aria-label="Alerts">${c.alerts.map((a) => html`<li data-kind=${a.kind}>${a.text}</li>`)}</ul>` : nothing}
      </div>
    </section>`;
  }

  private async _load(memberId: string): Promise<void> {
    this._setPhoto("");
    if (!memberId) return void (this._card = null);
    const ack = await this.client.command<Card | null>(`gym:${this.gymId}`, "gym:deskCard", { memberId });
    if (memberId !== this.memberId) return;
    this._card = ack.ok ? ack.result : null;
    if (!ack.ok || !ack.result?.photoUpdatedAt) return;
    // An <img> cannot send the bearer header: fetch the photo and show it from memory.
    const res = await fetch(`/api/photos/member?gym=${this.gymId}&member=${memberId}`, {
      headers: { authorization: `Bearer ${currentToken() ?? ""}` },
    }).catch(() => null);
    if (res?.ok && memberId === this.memberId) this._setPhoto(URL.createObjectURL(await res.blob()));
  }

  private _setPhoto(url: string): void {
    if (this._photo) URL.revokeObjectURL(this._photo);
    this._photo = url;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-card": DeskCard;
  }
}
