import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { errorMessage } from "../../domain/client/index.js";
import { formatMoney, localTimeZone, relativeDay } from "./format.js";
import { toasts } from "../../web/shared/toasts.js";
import "../../web/shared/passkey-list.js";
import "../../web/shared/password-setting.js";
import type { MeResult, Send } from "./types.js";
import "./member-photo.js";
import { documentsOf, toSign } from "./member-waiver.js";
import "./member-sessions.js";

/** What Me says of the gym's policies in force: signed, or how many are left to sign. */
const policyStatus = (p: { documents: number; toSign: number }): string =>
  p.toSign === 0
    ? "Signed ✔"
    : p.documents === 1
      ? "Not signed yet — read and sign it"
      : `Not signed yet: ${p.toSign} of ${p.documents} — read and sign them`;

/** Me: streak, this week's classes against my target, credits and their expiry, and who may see my name. */
@customElement("member-me")
export class MemberMe extends LitElement {
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
      font-size: 1.8rem;
      font-weight: 700;
      line-height: 1.1;
    }
    .label {
      color: var(--muted, #5b6470);
      font-size: 0.85rem;
    }
    progress {
      width: 100%;
      height: 0.6rem;
      accent-color: var(--accent, #127a52);
    }
    .toggle {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
      margin-top: 1rem;
      background: var(--card, #fff);
      border-radius: 0.75rem;
      padding: 0.9rem;
    }
    a.toggle {
      color: inherit;
      text-decoration: none;
    }
    input[type="checkbox"] {
      width: 1.6rem;
      height: 1.6rem;
      accent-color: var(--accent, #127a52);
    }
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    button {
      margin-top: 1.5rem;
      min-height: 2.75rem;
      padding: 0 1rem;
      border-radius: 0.6rem;
      border: 1px solid #c4cad2;
      background: #fff;
      font: inherit;
    }
    .error {
      color: var(--danger, #b42318);
    }
    .standing {
      margin: 0 0 0.75rem;
      padding: 0.9rem;
      border-radius: 0.75rem;
      background: #fef3c7;
      color: #78350f;
      font-weight: 600;
    }
  `;

  @property({ attribute: false }) send: Send | undefined;
  @property() userRoom: RoomId | "" = "";
  @property({ type: Boolean }) online = false;
  @property() timeZone = localTimeZone();
  @property({ type: Number }) now = 0;
  /** The member's gym (its sign-in options say whether passwords are allowed; its waiver's status). */
  @property() gymId = "";
  /**
   * Moves when my room says staff changed my account (plan, credits, freeze, charges, signatures) or a class fee may
   * have landed: the screen asks again, so it is live without polling.
   */
  @property() accountKey = "";
  /** Moves when the gym publishes a policy version or one takes effect (my gym room's `policies`): the waiver line asks again. */
  @property() policyKey = "";
  /** Me, for my photo's address. */
  @property() userId = "";
  @state() private _me: MeResult | null = null;
  /** The gym's policy documents in force and how many I still have to sign: null until known or when the gym has none. */
  @state() private _policies: { documents: number; toSign: number } | null = null;
  @state() private _error = "";
  @state() private _saving = false;

  protected override willUpdate(changed: PropertyValues<this>) {
    // The first key is the one the screen opened with: only a later move is news.
    const moved = changed.has("accountKey") && changed.get("accountKey") !== undefined;
    if ((moved || changed.has("online") || changed.has("userRoom") || changed.has("send")) && this.online && this.send && this.userRoom)
      void this._load();
    // A policy published while the screen is open (the key's first value is the gym room joining, not news).
    const published = changed.has("policyKey") && !!changed.get("policyKey");
    const asked = moved || published || changed.has("online") || changed.has("gymId") || changed.has("send");
    if (asked && this.online && this.send && this.gymId) void this._loadWaiver();
  }

  override render() {
    const me = this._me;
    if (!me)
      return html`<p class=${this._error ? "error" : ""} role="status">${this._error || (this.online ? "Loading…" : "Offline — reconnecting…")}</p>
        ${this._renderSignOut()}`;
    const { attended, target } = me.weekAdherence;
    const membership = me.membership ?? null;
    return html`<h2>${me.name}</h2>
      ${membership?.message ? html`<p class="standing" role="status" data-testid="standing">${membership.message}</p>` : ""}
      <div class="grid">
        <div class="stat">
          <div class="big" data-testid="streak">${me.streak}</div>
          <div class="label">${me.streak === 1 ? "day" : "days"} in a row</div>
        </div>
        <div class="stat">
          <div class="big" data-testid="adherence">${attended} / ${target}</div>
          <div class="label">classes this week (your target: ${target})</div>
          <progress max=${Math.max(1, target)} .value=${Math.min(attended, Math.max(1, target))} aria-label="This week's classes against target"></progress>
        </div>
        <div class="stat">
          <div class="big" data-testid="credits">${me.credits === null ? "∞" : me.credits}</div>
          <div class="label">
            ${
              me.credits === null
                ? "No credit limit on your plan"
                : `credits left${me.creditsExpireAt ? ` · expire ${relativeDay(me.creditsExpireAt, this.timeZone, this.now)}` : ""}`
            }
            ${membership?.planName ? html`<br /><span data-testid="plan">${membership.planName}</span>` : ""}
          </div>
        </div>
        ${
          membership && membership.owedCents > 0
            ? html`<div class="stat">
              <div class="big" data-testid="owed">${formatMoney(membership.owedCents, membership.currency)}</div>
              <div class="label">owed to the gym · pay at the front desk</div>
            </div>`
            : ""
        }
        ${
          me.training
            ? html`<div class="stat">
              <div class="big" data-testid="xp">${me.training.xp.toLocaleString("en-GB")}</div>
              <div class="label">XP · ${me.training.workouts} logged ${me.training.workouts === 1 ? "workout" : "workouts"} · best streak ${me.training.bestStreak} ${me.training.bestStreak === 1 ? "day" : "days"}</div>
            </div>`
            : ""
        }
      </div>
      ${
        this._policies === null
          ? ""
          : html`<a class="toggle" href="/waiver" data-testid="waiver-link" @click=${this._onWaiver}>
            <span><strong>${this._policies.documents > 1 ? "Policies" : "Waiver"}</strong><br /><span class="label">${policyStatus(this._policies)}</span></span>
            <span aria-hidden="true">›</span>
          </a>`
      }
      <member-photo .gymId=${this.gymId} .userId=${this.userId} .online=${this.online} .accountKey=${this.accountKey}></member-photo>
      <label class="toggle">
        <span>
          <strong>Show my first name to other members</strong><br />
          <span class="label">On class lists and the gym feed. Staff always see your bookings.</span>
        </span>
        <input type="checkbox" .checked=${me.visible} ?disabled=${!this.online || this._saving} @change=${this._onVisibility} />
      </label>
      <passkey-list></passkey-list>
      <password-setting .gymId=${this.gymId}></password-setting>
      ${this._renderSignOut()}
      <member-sessions .send=${this.send} .userRoom=${this.userRoom}></member-sessions>`;
  }

  private _renderSignOut() {
    return html`<button @click=${this._onSignOut}>Sign out</button>`;
  }

  private async _load() {
    if (!this.send || !this.userRoom) return;
    const ack = await this.send<MeResult>(this.userRoom, "user:me", {});
    if (ack.ok) {
      this._me = ack.result;
      this._error = "";
    } else this._error = errorMessage(ack.error);
  }

  private async _loadWaiver() {
    const send = this.send;
    if (!send) return;
    const ack = await send<Parameters<typeof toSign>[0]>(`gym:${this.gymId}`, "gym:waiver", {});
    const inForce = ack.ok ? documentsOf(ack.result).filter((d) => d.current).length : 0;
    this._policies = ack.ok && inForce > 0 ? { documents: inForce, toSign: toSign(ack.result) } : null;
  }

  private _onWaiver(e: MouseEvent) {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent("member-navigate", { detail: "/waiver", bubbles: true, composed: true }));
  }

  private async _onVisibility(e: Event) {
    const box = e.target as HTMLInputElement;
    if (!this.send || !this.userRoom || !this._me) return;
    this._saving = true;
    const ack = await this.send(this.userRoom, "user:setVisibility", { visible: box.checked });
    this._saving = false;
    if (!ack.ok) {
      box.checked = this._me.visible;
      return void toasts.error(ack.error);
    }
    this._me = { ...this._me, visible: box.checked };
    toasts.success(box.checked ? "Other members can now see your first name." : "Your name is now hidden from other members.");
  }

  private _onSignOut() {
    this.dispatchEvent(new CustomEvent("member-sign-out", { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-me": MemberMe;
  }
}
