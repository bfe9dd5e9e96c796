import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { StaffClassView } from "../../domain/views/classView.js";
import "./class-roster.js";
import "./class-workout.js";
import type { RunCommand } from "./class-workout.js";
import type { RosterAction, RosterActionDetail } from "./class-roster.js";
import "./class-waitlist.js";
import "./confirm-dialog.js";
import "./roster-walk-in.js";
import type { ConfirmDialog } from "./confirm-dialog.js";
import { capacityConsequence } from "./capacityConsequence.js";
import { capabilities } from "./roles.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";
import { formatMoney, formatTime, formatWhen } from "../../web/shared/format.js";
import { IntervalController } from "../../web/shared/IntervalController.js";
import { errorMessage } from "../../web/shared/messages.js";
import { RoomController } from "../../web/shared/RoomController.js";
import { toasts } from "../../web/shared/toasts.js";

const COMMANDS: Record<RosterAction, string> = {
  checkIn: "class:checkIn",
  undoCheckIn: "class:undoCheckIn",
  noShow: "class:markNoShow",
  undoNoShow: "class:undoNoShow",
  cancel: "class:cancelBooking",
  cancelWithFee: "class:cancelBooking",
};

const DONE: Record<RosterAction, (name: string) => string> = {
  checkIn: (n) => `Checked in ${n}.`,
  undoCheckIn: (n) => `Check-in undone for ${n}.`,
  noShow: (n) => `${n} marked as no-show.`,
  undoNoShow: (n) => `No-show excused for ${n}; they are told why.`,
  cancel: (n) => `Booking cancelled for ${n}.`,
  cancelWithFee: (n) => `Booking cancelled for ${n}; late-cancel fee charged.`,
};

/** One class, live: roster, waitlist, and every staff action with its result in words. */
@customElement("class-screen")
export class ClassScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .head {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        flex-wrap: wrap;
        align-items: flex-start;
        margin-bottom: 1rem;
      }
      .head capacity-bar {
        width: 18rem;
        max-width: 100%;
      }

      .grid {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 900px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
      .manage {
        display: grid;
        gap: 0.75rem;
        margin-top: 1rem;
      }
      .manage input {
        width: 6rem;
      }
      .cancelled {
        background: #fde2e1;
        color: #9b1c1c;
        padding: 0.5rem 0.75rem;
        border-radius: 0.5rem;
      }
      .back {
        font-size: 0.9rem;
      }
      class-workout {
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property() sessionId = "";
  @state() private _busy: ReadonlySet<string> = new Set();
  @state() private _capacity = "";
  /** Moves the roster's buttons across the check-in and no-show boundaries without a reload. */
  @state() private _now = Date.now();
  @query("confirm-dialog.cancel") private _confirm!: ConfirmDialog;
  @query("confirm-dialog.capacity") private _ask!: ConfirmDialog;
  @query("confirm-dialog.excuse") private _excuse!: ConfirmDialog;
  private _cls!: RoomController<StaffClassView>;

  constructor() {
    super();
    new IntervalController(this, 15_000, () => (this._now = Date.now()));
  }

  override connectedCallback(): void {
    this._cls ??= new RoomController<StaffClassView>(this, this.client, `class:${this.sessionId}`);
    super.connectedCallback();
  }

  protected override willUpdate(): void {
    if (this._cls && this.sessionId) this._cls.room = `class:${this.sessionId}`;
  }

  override render() {
    const st = this._cls.state;
    if (st?.status === "error")
      return html`<p role="alert">${errorMessage(st.error)}</p><a class="back" href=${href({ name: "today" })}>← Today</a>`;
    const view = this._cls.view;
    if (!view) return html`<p role="status">Loading the class…</p>`;
    const s = view.session;
    const can = capabilities(this.me.role);
    const disabled = !this._cls.canAct || s.status === "cancelled";
    const fee = s.lateCancelFeeCents > 0 ? formatMoney(s.lateCancelFeeCents, s.currency) : "";
    return html`
      <a class="back" href=${href({ name: "today" })}>← Today</a>
      <div class="head">
        <div>
          <h1>${s.className}</h1>
          <div class="muted">${formatWhen(s.startsAt, this.me.timeZone)}–${formatTime(s.endsAt, this.me.timeZone)} · ${s.locationName}${s.roomName ? ` · ${s.roomName}` : ""}${s.coachName ? ` · ${s.coachName}` : ""}</div>
          ${s.status === "cancelled" ? html`<p class="cancelled" role="status">Cancelled: ${s.cancelReason ?? ""}</p>` : nothing}
        </div>
        <capacity-bar .booked=${view.counts.booked} .capacity=${s.capacity} .checkedIn=${view.counts.checkedIn} .waitlist=${view.counts.waitlist}></capacity-bar>
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="roster-h">
          <h2 id="roster-h">Roster · ${view.counts.booked} booked, ${view.counts.checkedIn} checked in</h2>
          <class-roster
            .roster=${view.roster}
            .busy=${this._busy}
            ?disabled=${disabled || !can.rosterActions}
            ?can-fee=${can.seeFees && fee !== ""}
            .feeLabel=${fee}
            .session=${s}
            .now=${this._now}
            .timeZone=${this.me.timeZone}
            @roster-action=${this._onRosterAction}
          ></class-roster>
          ${can.rosterActions && s.status === "scheduled" ? html`<roster-walk-in .client=${this.client} .gymId=${this.me.gymId} .currency=${this.me.currency} .sessionId=${this.sessionId} ?disabled=${disabled}></roster-walk-in>` : nothing}
        </section>
        <div>
          <section class="card" aria-labelledby="wait-h">
            <h2 id="wait-h">Waitlist · ${view.counts.waitlist}</h2>
            <class-waitlist .waitlist=${view.waitlist} .busy=${this._busy} ?disabled=${disabled} ?can-promote=${can.manageClass} @promote=${this._onPromote}></class-waitlist>
          </section>
          ${can.manageClass && s.status !== "cancelled" ? this._manage(view, disabled) : nothing}
        </div>
      </div>
      <class-workout .view=${view} .run=${this._runWorkout} ?can-set=${can.manageClass} ?disabled=${disabled}></class-workout>
      <confirm-dialog class="capacity" confirmLabel="Save anyway"></confirm-dialog>
      <confirm-dialog class="excuse" confirmLabel="Undo no-show" reasonLabel="Reason shown to the member"></confirm-dialog>
      <confirm-dialog
        class="cancel"
        heading="Cancel this class?"
        message="Everyone booked and waiting is told at once, with your reason."
        confirmLabel="Cancel class"
        reasonLabel="Reason shown to members"
      ></confirm-dialog>
    `;
  }

  private _manage(view: StaffClassView, disabled: boolean) {
    const value = this._capacity === "" ? String(view.session.capacity) : this._capacity;
    return html`<section class="card manage" aria-labelledby="manage-h">
      <h2 id="manage-h">Manage class</h2>
      <form class="row" @submit=${this._onSetCapacity}>
        <label>Capacity <input type="number" min="0" max="500" name="capacity" .value=${value} @input=${this._onCapacityInput} /></label>
        <button type="submit" ?disabled=${disabled || value === String(view.session.capacity)}>Save capacity</button>
      </form>
      <div><button class="danger" ?disabled=${disabled} @click=${this._onCancelClass}>Cancel class…</button></div>
    </section>`;
  }

  private async _run(key: string, type: string, payload: Record<string, unknown>, done: string): Promise<void> {
    this._busy = new Set([...this._busy, key]);
    try {
      const ack = await this._cls.command<{ status?: string; message?: string }>(type, { sessionId: this.sessionId, ...payload });
      if (ack.ok && ack.result?.status === "denied") toasts.error(ack.result.message ?? "Check-in refused.");
      else toasts.fromAck(ack, done);
    } finally {
      const next = new Set(this._busy);
      next.delete(key);
      this._busy = next;
    }
  }

  private readonly _runWorkout: RunCommand = async (key, type, payload, done) => {
    this._busy = new Set([...this._busy, key]);
    try {
      const ack = await this._cls.command(type, { sessionId: this.sessionId, ...payload });
      return toasts.fromAck(ack, ack.ok ? done(ack.result) : undefined);
    } finally {
      const next = new Set(this._busy);
      next.delete(key);
      this._busy = next;
    }
  };

  private async _onRosterAction(e: CustomEvent<RosterActionDetail>): Promise<void> {
    const { action, memberId, name } = e.detail;
    if (action === "undoNoShow") {
      const reason = await this._excuse.open(
        `Undo ${name}'s no-show?`,
        "Their booking is excused: a used credit comes back and the no-show fee is waived.",
      );
      if (reason) await this._run(memberId, COMMANDS[action], { memberId, reason }, DONE[action](name));
      return;
    }
    const extra =
      action === "checkIn"
        ? { source: "desk" }
        : action === "cancelWithFee"
          ? { withFee: true }
          : action === "cancel"
            ? { withFee: false }
            : {};
    void this._run(memberId, COMMANDS[action], { memberId, ...extra }, DONE[action](name));
  }

  private _onPromote(e: CustomEvent<{ memberId: string; name: string }>): void {
    void this._run(e.detail.memberId, "class:promote", { memberId: e.detail.memberId }, `${e.detail.name} promoted into the class.`);
  }

  private _onCapacityInput(e: Event): void {
    this._capacity = (e.target as HTMLInputElement).value;
  }

  private async _onSetCapacity(e: Event): Promise<void> {
    e.preventDefault();
    const capacity = Number(this._capacity);
    if (!Number.isInteger(capacity) || capacity < 0) return void toasts.error("Capacity must be a whole number, 0 or more.");
    const view = this._cls.view;
    const below = view ? capacityConsequence(view.counts.booked, view.counts.waitlist, capacity) : null;
    if (below && (await this._ask.open(below.heading, below.message)) === null) return;
    await this._run("capacity", "class:setCapacity", { capacity }, `Capacity set to ${capacity}.`);
    this._capacity = "";
  }

  private async _onCancelClass(): Promise<void> {
    const reason = await this._confirm.open();
    if (reason) await this._run("cancel", "class:cancel", { reason }, "Class cancelled; members are being told.");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "class-screen": ClassScreen;
  }
}
