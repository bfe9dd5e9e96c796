import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ChallengeKinds, type ChallengeKind } from "../../domain/challenges/challenge.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { addDays, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { challengeAmount, challengeTarget, ChallengeUnits, type ChallengeListing } from "../../web/shared/challengeText.js";
import { formatDay, localDate } from "../../web/shared/format.js";
import { errorMessage, errorWithFields } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";

interface HeldSubmission {
  submissionId: string;
  challengeId: string;
  name: string;
  amount: number;
}

const KindLabels: Record<ChallengeKind, string> = { attendance: "Classes attended", distance: "Distance", volume: "Volume lifted" };

/**
 * Challenges for staff: post one (coaches, owners, admins), see who takes part, and approve or
 * reject logged workouts held for an implausible jump.
 */
@customElement("challenges-panel")
export class ChallengesPanel extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0.6rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      form .wide {
        grid-column: 1 / -1;
      }
      form input,
      form select {
        width: 100%;
        min-width: 0;
      }
      h3 {
        font-size: 1rem;
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property({ type: Boolean, attribute: "can-create" }) canCreate = false;
  @state() private _rows: ChallengeListing[] | null = null;
  @state() private _held: HeldSubmission[] = [];
  @state() private _kind: ChallengeKind = "attendance";
  @state() private _busy = false;
  @state() private _error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const today = localDate(Date.now(), this.me.timeZone);
    return html`<section class="card" aria-labelledby="ch-h">
      <h2 id="ch-h">Challenges</h2>
      ${this.canCreate ? this._form(today) : nothing} ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      ${
        this._rows === null
          ? html`<p role="status">Loading…</p>`
          : this._rows.length === 0
            ? html`<p class="muted">No challenges yet.</p>`
            : html`<table>
              <thead>
                <tr>
                  <th scope="col">Challenge</th>
                  <th scope="col">Target</th>
                  <th scope="col">Runs</th>
                  <th scope="col">Taking part</th>
                </tr>
              </thead>
              <tbody>
                ${this._rows.map(
                  (c) => html`<tr data-challenge=${c.challengeId}>
                    <td>${c.title}${c.movement ? html` <span class="muted">(${c.movement})</span>` : nothing}</td>
                    <td>${challengeAmount(c.kind, c.target)}</td>
                    <td>${formatDay(c.startsAt, this.me.timeZone)} – ${formatDay(c.endsAt - 1, this.me.timeZone)}${c.open ? "" : " · ended"}</td>
                    <td>${c.participants}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${this._held.length ? this._heldList() : nothing}
    </section>`;
  }

  private _form(today: string) {
    const unit = ChallengeUnits[this._kind];
    return html`<form @submit=${this._onCreate} aria-label="New challenge">
      <label class="wide">Title <input name="title" required maxlength="120" placeholder="12 classes in 4 weeks" /></label>
      <label
        >Kind
        <select name="kind" @change=${(e: Event) => (this._kind = (e.target as HTMLSelectElement).value as ChallengeKind)}>
          ${ChallengeKinds.map((k) => html`<option value=${k} ?selected=${k === this._kind}>${KindLabels[k]}</option>`)}
        </select>
      </label>
      <label>Target (${unit}) <input name="target" type="number" required min="1" step=${this._kind === "distance" ? "0.1" : "1"} /></label>
      ${this._kind === "attendance" ? nothing : html`<label>Movement (optional) <input name="movement" maxlength="80" placeholder="Row" /></label>`}
      <label>Starts <input name="start" type="date" required .value=${today} /></label>
      <label>Ends (last day) <input name="end" type="date" required .value=${addDays(today, 27)} /></label>
      <div><button type="submit" class="primary" ?disabled=${this._busy}>Post challenge</button></div>
    </form>`;
  }

  private _heldList() {
    const title = (id: string) => this._rows?.find((c) => c.challengeId === id);
    return html`<h3>Held for review</h3>
      <p class="muted">Logged workouts that added an unusually large amount at once.</p>
      <table>
        <tbody>
          ${this._held.map((h) => {
            const c = title(h.challengeId);
            return html`<tr>
              <td>${h.name}</td>
              <td>${c?.title ?? ""}</td>
              <td>${c ? challengeAmount(c.kind, h.amount) : h.amount}</td>
              <td class="row">
                <button ?disabled=${this._busy || !this.canCreate} @click=${() => this._review(h, true)}>Approve</button>
                <button class="danger" ?disabled=${this._busy || !this.canCreate} @click=${() => this._review(h, false)}>Reject</button>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>`;
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<{ challenges: ChallengeListing[]; held?: HeldSubmission[] }>(
      `gym:${this.me.gymId}`,
      "gym:challenges",
      {},
    );
    if (!ack.ok) return void (this._error = errorMessage(ack.error));
    this._rows = ack.result.challenges;
    this._held = ack.result.held ?? [];
    this._error = "";
  }

  private async _onCreate(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? "").trim();
    const tz = this.me.timeZone;
    const movement = text("movement");
    const payload = {
      title: text("title"),
      kind: this._kind,
      target: challengeTarget(this._kind, Number(text("target"))),
      ...(movement && this._kind !== "attendance" ? { movement } : {}),
      startsAt: startOfLocalDay(text("start"), tz),
      endsAt: startOfLocalDay(addDays(text("end"), 1), tz),
    };
    this._busy = true;
    try {
      const ack = await this.client.command(`gym:${this.me.gymId}`, "gym:createChallenge", payload);
      if (!ack.ok) return void toasts.error(errorWithFields(ack.error));
      toasts.success(`Challenge posted: ${payload.title}.`);
      // Clear what was typed, keep the dates (a reset would empty them: their values are bound, not default).
      for (const name of ["title", "target", "movement"]) {
        const input = form.elements.namedItem(name);
        if (input instanceof HTMLInputElement) input.value = "";
      }
      await this._load();
    } finally {
      this._busy = false;
    }
  }

  private async _review(h: HeldSubmission, approve: boolean): Promise<void> {
    this._busy = true;
    try {
      const ack = await this.client.command(`gym:${this.me.gymId}`, "gym:reviewSubmission", { submissionId: h.submissionId, approve });
      if (toasts.fromAck(ack, approve ? `Counted for ${h.name}.` : `Rejected for ${h.name}.`)) await this._load();
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "challenges-panel": ChallengesPanel;
  }
}
