import { LitElement, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import "./checkin-feed.js";
import "./desk-result.js";
import "./desk-book-in.js";
import "./desk-card.js";
import "./desk-override.js";
import "./desk-walk-in.js";
import type { DeskAnswerDetail } from "./desk-override.js";
import type { DeskOutcome } from "./desk-result.js";
import "./member-search.js";
import "./presence-code.js";
import type { MemberSearch } from "./member-search.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import { deskStyles } from "./deskStyles.js";
import { registerShell } from "./deskShell.js";
import type { DeskCheckInResult, MemberHit, StaffMe } from "./types.js";
import type { WalkInOffer } from "../../domain/checkin/walkInOffer.js";
import { formatTime, localDate } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { describeDeskResult } from "./deskOutcome.js";
import { RoomController } from "../../web/shared/RoomController.js";
import { searchSnapshot } from "../../domain/checkin/deskSnapshot.js";
import { OfflineDesk } from "./OfflineDesk.js";
import { signOut } from "../../web/shared/authClient.js";

/**
 * The front-desk kiosk at /admin/desk: scan a code (keyboard-wedge scanners type it and press
 * Enter) or search a name, see ✔/✘ with the reason in large type, and the live list of check-ins.
 * Offline, the queue never stops: the desk decides on the device from its saved snapshot with the server's own
 * desk function (provisional), keeps each check-in in IndexedDB, and sends them in order when it is back; the
 * server's disagreements are listed under "Needs attention" (docs/domain.md "When the desk is offline").
 */
/** How long a result (and its card) stays before the desk clears it for the next person. */
const DESK_RESULT_MS = 15_000;

@customElement("desk-screen")
export class DeskScreen extends LitElement {
  static override styles = [shared, deskStyles];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _outcome: DeskOutcome = { kind: "idle" };
  /** Whose desk card shows beside the result (cleared with it for the next person). */
  @state() private _cardFor = "";
  private _clear: ReturnType<typeof setTimeout> | undefined;
  @state() private _code = "";
  /** The last refusal staff may act on: "Check in anyway" (owners, admins, front desk), "Book into … and check in". */
  @state() private _refused: { memberId: string; name: string; overridable: boolean; walkIn: WalkInOffer | null } | null = null;
  @query("#scan") private _scan!: HTMLInputElement;
  @query("member-search") private _search!: MemberSearch;
  private _gym!: RoomController<StaffGymView>;
  private _offline!: OfflineDesk;
  private _seenView: unknown = null;
  private _busy = false;
  /** Unsent check-ins are on the device: the first press says so, the second signs out. */
  @state() private _confirmSignOut = false;

  override connectedCallback(): void {
    this._gym ??= new RoomController<StaffGymView>(this, this.client, `gym:${this.me.gymId}`);
    this._offline ??= new OfflineDesk(this, this.client, this.me);
    super.connectedCallback();
    registerShell();
  }

  protected override updated(): void {
    // This account lost its staff access here (revoked): the members' data leaves the device at once.
    const denied = this._gym.state?.status === "error" && ["FORBIDDEN", "NOT_FOUND"].includes(this._gym.state.error?.code ?? "");
    if (denied) void this._offline.wipe();
    // Every live delta patches the saved snapshot, so it is at most one delta stale when the line drops.
    if (this._gym.view && this._gym.view !== this._seenView) {
      this._seenView = this._gym.view;
      this._offline.deltaArrived(this._gym.view);
    }
  }

  protected override firstUpdated(): void {
    this._scan.focus();
  }

  override render() {
    const view = this._gym.view;
    // Overrides and walk-ins need the server: an offline desk only checks in.
    const online = this._gym.online;
    return html`
      <header>
        <h1>${this.me.gymName} · Front desk</h1>
        <span class="actions">
          ${this.me.role === "front_desk" ? nothing : html`<a href=${href({ name: "today" })}>Back to admin</a>`}
          <button type="button" data-action="signOut" @click=${this._onSignOut}>
            ${this._confirmSignOut ? `Sign out — ${this._offline.status.waiting} unsent check-ins will be lost` : "Sign out of this desk"}
          </button>
        </span>
      </header>
      <div class="layout">
        <section aria-label="Check in" @desk-answer=${this._onAnswer}>
          <desk-result .outcome=${this._outcome}></desk-result>
          <desk-card .client=${this.client} .gymId=${this.me.gymId} .memberId=${online ? this._cardFor : ""}></desk-card>
          <p class="offline" role="status" data-banner data-state=${this._offline.status.online ? "online" : "offline"}>${this._offline.banner ?? ""}</p>
          ${this._saved()}
          <desk-book-in
            .client=${this.client}
            .gymId=${this.me.gymId}
            .timeZone=${this.me.timeZone}
            .memberId=${this._refused?.memberId ?? ""}
            .memberName=${this._refused?.name ?? ""}
            .offer=${this._refused?.walkIn ?? null}
            ?disabled=${!online}
          ></desk-book-in>
          <desk-override
            .client=${this.client}
            .gymId=${this.me.gymId}
            .memberId=${this._refused?.overridable ? this._refused.memberId : ""}
            .memberName=${this._refused?.name ?? ""}
            ?disabled=${!online}
          ></desk-override>
          <div class="inputs">
            <form @submit=${this._onScan}>
              <label
                >Scan code
                <input
                  id="scan"
                  name="code"
                  autocomplete="off"
                  placeholder="Scan or type a code, then Enter"
                  .value=${this._code}
                  @input=${this._onCodeInput}
              /></label>
            </form>
            <member-search .client=${this.client} .gymId=${this.me.gymId} label="Find member" .localSearch=${this._searchSaved} @member-picked=${this._onPicked}></member-search>
          </div>
          ${this._attention()}
          ${this.me.role === "coach" ? nothing : html`<desk-walk-in .client=${this.client} .gymId=${this.me.gymId} .timeZone=${this.me.timeZone} .currency=${this.me.currency} .schedule=${view?.schedule ?? {}} ?disabled=${!online}></desk-walk-in>`}
        </section>
        <div>
          <presence-code .client=${this.client} .me=${this.me}></presence-code>
          <section class="card" aria-labelledby="feed-h">
            <h2 id="feed-h">Latest check-ins</h2>
            ${view ? html`<checkin-feed .items=${view.checkIns} .timeZone=${this.me.timeZone}></checkin-feed>` : html`<p role="status">Loading…</p>`}
          </section>
        </div>
      </div>
      ${view ? this._boards(view) : nothing}
    `;
  }

  /** Check-ins decided offline that the server decided otherwise: staff look, then dismiss. */
  private _attention() {
    const items = this._offline.attention;
    if (items.length === 0) return nothing;
    return html`<section class="card attention" aria-labelledby="attention-h">
      <h2 id="attention-h">Needs attention (${items.length})</h2>
      <ul>
        ${items.map(
          (a) => html`<li data-attention=${a.commandId}>
            <span><strong>${a.name}</strong> · ${formatTime(a.deviceAt, this.me.timeZone)} · desk showed ${a.provisional ? "✔" : "✘"} · now: ${a.outcome}</span>
            <button type="button" @click=${() => void this._offline.dismiss(a.commandId)}>Done</button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  /** What the desk could decide alone if the line dropped now. */
  private _saved() {
    const s = this._offline.snapshot;
    if (!s) return html`<p class="muted" data-saved="0">Nothing saved on this device yet for working offline.</p>`;
    return html`<p class="muted" data-saved=${s.members.length}>
      Ready to work offline: ${s.members.length} members and ${s.sessions.length} classes saved on this device · updated ${formatTime(s.takenAt, this.me.timeZone)}
    </p>`;
  }

  /** Offline name search over the saved member list. */
  private readonly _searchSaved = (q: string): MemberHit[] => {
    const s = this._offline.snapshot;
    return s
      ? searchSnapshot(s, q).map((m) => ({
          memberId: m.memberId,
          name: m.name,
          email: "",
          phone: null,
          role: "member",
          status: m.status,
          planName: m.planName,
        }))
      : [];
  };

  /** Today's classes, each with a link to its leaderboard for the gym's TV. */
  private _boards(view: StaffGymView) {
    const tz = this.me.timeZone;
    const today = localDate(Date.now(), tz);
    const classes = Object.values(view.schedule)
      .filter((e) => e.status !== "cancelled" && localDate(e.startsAt, tz) === today)
      .sort((a, b) => a.startsAt - b.startsAt);
    return html`<section class="card boards" aria-labelledby="boards-h">
      <h2 id="boards-h">Class leaderboards for the TV</h2>
      ${
        classes.length === 0
          ? html`<p class="muted">No classes today.</p>`
          : html`<ul>
            ${classes.map(
              (e) => html`<li>
                <a href=${href({ name: "board", id: e.id })} target="_blank" rel="noopener"
                  >${formatTime(e.startsAt, tz)} ${e.className} · ${e.locationName}<span class="sr-only"> (opens the TV board in a new tab)</span></a
                >
              </li>`,
            )}
          </ul>`
      }
    </section>`;
  }

  /** Signing the desk out wipes the members' data on the device (spotter-admin does it for every sign-out). */
  private async _onSignOut(): Promise<void> {
    if (this._offline.status.waiting > 0 && !this._confirmSignOut) {
      this._confirmSignOut = true;
      return;
    }
    await signOut();
    this.dispatchEvent(new CustomEvent("signed-out", { detail: "You signed out of the front desk.", bubbles: true, composed: true }));
  }

  private _onCodeInput(e: Event): void {
    this._code = (e.target as HTMLInputElement).value;
  }

  private _onScan(e: Event): void {
    e.preventDefault();
    const code = this._code.trim();
    this._code = "";
    if (code) void this._checkIn({ code, source: "qr" }, "code");
  }

  private _onPicked(e: CustomEvent<MemberHit>): void {
    this._search.clear();
    void this._checkIn({ memberId: e.detail.memberId, source: "desk" }, e.detail.name);
  }

  private async _checkIn(payload: Record<string, string>, label: string): Promise<void> {
    if (this._busy) return;
    this._busy = true;
    this._outcome = { kind: "pending", label };
    try {
      // One command id for the attempt and, if the line drops meanwhile, its queued copy: the server applies it once.
      const commandId = crypto.randomUUID();
      const ack = this._gym.online
        ? await this.client.command<DeskCheckInResult>(`gym:${this.me.gymId}`, "gym:checkIn", payload, { commandId })
        : null;
      if (ack === null || (!ack.ok && ack.error.code === "UNAVAILABLE")) {
        const who = payload.code !== undefined ? { code: payload.code } : { memberId: payload.memberId!, name: label };
        this._outcome = await this._offline.decideOffline(who, Date.now(), commandId);
        return;
      }
      this._outcome = ack.ok ? describeDeskResult(ack.result, label) : { kind: "error", message: errorMessage(ack.error) };
      this._refusedFrom(ack.ok ? ack.result : null, label);
      this._shown(ack.ok ? ack.result : null);
    } finally {
      this._busy = false;
      this._scan?.focus();
    }
  }

  /** An override or a walk-in answered: shown like a scan. */
  private _onAnswer(e: CustomEvent<DeskAnswerDetail>): void {
    this._outcome = e.detail.outcome ?? describeDeskResult(e.detail.result, e.detail.label);
    this._refusedFrom(e.detail.result, e.detail.label);
    this._shown(e.detail.result);
  }

  /** A result is on screen: its member's card beside it, and both clear themselves for the next person. */
  private _shown(r: DeskCheckInResult | null): void {
    this._cardFor = r?.memberId ?? "";
    clearTimeout(this._clear);
    this._clear = setTimeout(() => {
      if (this._refused) return; // staff are deciding on an override: keep it
      this._outcome = { kind: "idle" };
      this._cardFor = "";
    }, DESK_RESULT_MS);
  }

  private _refusedFrom(r: DeskCheckInResult | null, label: string): void {
    const overridable = this.me.role !== "coach" && r?.overridable === true;
    const may = r?.status === "denied" && !!r.memberId && (overridable || !!r.walkIn);
    this._refused = may ? { memberId: r.memberId!, name: r.memberName ?? label, overridable, walkIn: r.walkIn ?? null } : null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-screen": DeskScreen;
  }
}
