import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { LeadStages, type LeadBoard, type LeadLine, type LeadStage } from "../../domain/leads/pipeline.js";
import type { Listen } from "../../web/shared/listen.js";
import { errorMessage, errorWithFields } from "../../web/shared/messages.js";
import "./lead-add-form.js";
import "./tour-slots.js";
import "./lead-detail.js";
import "./trial-form-settings.js";
import { capabilities } from "./roles.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";

export const StageLabels: Record<LeadStage, string> = {
  new: "New",
  contacted: "Contacted",
  tour_booked: "Tour / trial booked",
  trial: "Trial",
  member: "Member",
  lost: "Lost",
};

/**
 * The sales pipeline, live: a column per stage with its count, cards dragged (or moved with their menu) between
 * columns, and the signed-in person's "follow up today". Every change anywhere arrives as `leads:changed`.
 */
@customElement("leads-screen")
export class LeadsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .top {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        flex-wrap: wrap;
      }
      .board {
        display: grid;
        grid-template-columns: repeat(6, minmax(11rem, 1fr));
        gap: 0.5rem;
        overflow-x: auto;
        padding-bottom: 0.5rem;
      }
      .column {
        background: #f1f4f9;
        border-radius: 0.5rem;
        padding: 0.5rem;
        min-height: 8rem;
      }
      .column.over {
        outline: 2px dashed #2d5bd7;
      }
      .column h2 {
        font-size: 0.95rem;
        display: flex;
        justify-content: space-between;
        margin: 0 0 0.5rem;
      }
      .lead {
        background: #fff;
        border: 1px solid #d5dbe6;
        border-radius: 0.4rem;
        padding: 0.4rem 0.5rem;
        margin-bottom: 0.4rem;
        cursor: grab;
        font-size: 0.9rem;
      }
      .lead button.name {
        all: unset;
        font-weight: 600;
        cursor: pointer;
      }
      .lead select {
        width: 100%;
        margin-top: 0.25rem;
        font-size: 0.8rem;
      }
      .due {
        color: #a33a00;
        font-weight: 600;
      }
      .followups li {
        margin: 0.2rem 0;
      }
      .split {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
        align-items: start;
      }
      .split.open {
        grid-template-columns: minmax(0, 1fr) minmax(18rem, 24rem);
      }
      @media (max-width: 1000px) {
        .split.open {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property({ attribute: false }) listen: Listen | null = null;
  @state() private _board: LeadBoard | null = null;
  @state() private _error = "";
  @state() private _open: string | null = null;
  @state() private _over: LeadStage | null = null;
  @state() private _adding = false;
  private _stops: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    // `watch: true` subscribes this socket; a new connection has none, so every (re)connect asks again.
    this._stops.push(this.client.onConnection((c) => void (c.status === "connected" && this._load())));
    const off = this.listen?.("leads:changed", (change) => void (change.gymId === this.me.gymId && this._load()));
    if (off) this._stops.push(off);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const stop of this._stops.splice(0)) stop();
    void this.client.command(`gym:${this.me.gymId}`, "gym:leads", { watch: false });
  }

  private async _load(): Promise<void> {
    const res = await this.client.command<LeadBoard>(`gym:${this.me.gymId}`, "gym:leads", { watch: true });
    if (res.ok) {
      this._board = res.result;
      this._error = "";
    } else this._error = errorMessage(res.error);
  }

  override render() {
    const b = this._board;
    const byId = new Map((b?.leads ?? []).map((l) => [l.leadId, l]));
    const due = (b?.followUpToday ?? []).map((id) => byId.get(id)).filter((l): l is LeadLine => l !== undefined);
    return html`<div class="top">
        <h1>Leads</h1>
        <button class="button primary" @click=${() => (this._adding = !this._adding)} aria-expanded=${this._adding}>Add lead</button>
      </div>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      ${this._adding ? html`<section class="card"><lead-add-form .client=${this.client} .gymId=${this.me.gymId} @lead-added=${this._onAdded}></lead-add-form></section>` : nothing}
      <div class="split ${this._open ? "open" : ""}">
        <div>
          <section class="card followups" aria-labelledby="fu-h">
            <h2 id="fu-h">Follow up today</h2>
            ${
              due.length
                ? html`<ul>
                  ${due.map((l) => html`<li><button class="button" @click=${() => (this._open = l.leadId)}>${l.name}</button> <span class="muted">${StageLabels[l.stage]} · due ${l.followUpOn}</span></li>`)}
                </ul>`
                : html`<p class="muted">Nothing due — you're up to date.</p>`
            }
          </section>
          <div class="board" role="list" aria-label="Pipeline">${b ? LeadStages.map((s) => this._column(s, b)) : html`<p class="muted">Loading…</p>`}</div>
          ${
            b && capabilities(this.me.role).managePlans
              ? html`<section class="card"><trial-form-settings .client=${this.client} .gymId=${this.me.gymId} .form=${b.trialForm}></trial-form-settings></section>`
              : nothing
          }
          ${b?.trialForm?.enabled ? html`<section class="card"><tour-slots .client=${this.client} .gymId=${this.me.gymId} .timeZone=${this.me.timeZone}></tour-slots></section>` : nothing}
        </div>
        ${
          this._open
            ? html`<section class="card"><lead-detail .client=${this.client} .gymId=${this.me.gymId} .leadId=${this._open} .timeZone=${this.me.timeZone} .me=${this.me} .version=${b?.leads.find((l) => l.leadId === this._open)?.updatedAt ?? 0} @close=${() => (this._open = null)}></lead-detail></section>`
            : nothing
        }
      </div>`;
  }

  private _column(stage: LeadStage, b: LeadBoard) {
    const leads = b.leads.filter((l) => l.stage === stage);
    return html`<section
      class="column ${this._over === stage ? "over" : ""}"
      role="listitem"
      aria-label=${`${StageLabels[stage]}: ${b.counts[stage]}`}
      data-stage=${stage}
      @dragover=${(e: DragEvent) => {
        e.preventDefault();
        this._over = stage;
      }}
      @dragleave=${() => (this._over = null)}
      @drop=${(e: DragEvent) => this._onDrop(e, stage)}
    >
      <h2><span>${StageLabels[stage]}</span><span class="count">${b.counts[stage]}</span></h2>
      ${leads.map(
        (
          l,
        ) => html`<article class="lead" draggable="true" data-lead=${l.leadId} @dragstart=${(e: DragEvent) => e.dataTransfer?.setData("text/plain", l.leadId)}>
          <button class="name" @click=${() => (this._open = l.leadId)}>${l.name}</button>
          <div class="muted">${l.interest || l.source.replace("_", "-")}${l.ownerName ? ` · ${l.ownerName}` : ""}</div>
          ${l.followUpOn ? html`<div class=${l.followUpOn <= b.today ? "due" : "muted"}>Follow up ${l.followUpOn}</div>` : nothing}
          ${l.stage === "lost" && l.lostReason ? html`<div class="muted">${l.lostReason}</div>` : nothing}
          ${
            l.stage !== "member"
              ? html`<select aria-label=${`Move ${l.name}`} @change=${(e: Event) => this._onPick(e, l)}>
                <option value="" selected>Move to…</option>
                ${LeadStages.filter((s) => s !== l.stage && s !== "member").map((s) => html`<option value=${s}>${StageLabels[s]}</option>`)}
              </select>`
              : nothing
          }
        </article>`,
      )}
    </section>`;
  }

  private _onPick(e: Event, lead: LeadLine): void {
    const select = e.target as HTMLSelectElement;
    const stage = select.value as LeadStage;
    select.value = "";
    if (stage) void this._move(lead.leadId, stage);
  }

  private _onDrop(e: DragEvent, stage: LeadStage): void {
    e.preventDefault();
    this._over = null;
    const leadId = e.dataTransfer?.getData("text/plain");
    const lead = this._board?.leads.find((l) => l.leadId === leadId);
    if (lead && lead.stage !== stage) void this._move(lead.leadId, stage);
  }

  private async _move(leadId: string, stage: LeadStage): Promise<void> {
    if (stage === "member") {
      this._open = leadId;
      this._error = "Convert the lead from its card to make them a member.";
      return;
    }
    const lostReason = stage === "lost" ? (window.prompt("Why was this lead lost?") ?? "").trim() : undefined;
    if (stage === "lost" && !lostReason) return;
    const res = await this.client.command(`gym:${this.me.gymId}`, "gym:moveLead", { leadId, stage, ...(lostReason ? { lostReason } : {}) });
    if (!res.ok) this._error = errorWithFields(res.error);
    // The board is reloaded by `leads:changed`; ask now too so this screen never waits on the frame.
    await this._load();
  }

  private _onAdded(e: CustomEvent<{ leadId: string }>): void {
    this._adding = false;
    this._open = e.detail.leadId;
    void this._load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "leads-screen": LeadsScreen;
  }
}
