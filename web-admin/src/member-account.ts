import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { currentPlans, loadPlans, planOption } from "./gymPlans.js";
import { planTerms } from "./plans-screen.js";
import { shared } from "./styles.js";
import type { MemberAccount, PlanLine } from "./types.js";
import { formatDay, formatMoney } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";

const LedgerLabels: Record<string, string> = {
  sale: "Sold",
  adjustment: "Adjusted",
  booking: "Booked a class",
  refund: "Refunded",
  opening: "Opening balance",
};
const Methods = [
  ["cash", "Cash"],
  ["card_terminal", "Card terminal"],
  ["external", "Paid elsewhere"],
] as const;

/** A member's credits, ledger and charges; sell a pack, record a payment; owners and admins also assign, adjust and waive. */
@customElement("member-account")
export class MemberAccountView extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        margin: 0 0 0.75rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select,
      button {
        min-height: 2.5rem;
      }
      .big {
        font-size: 1.4rem;
        font-weight: 600;
      }
      table {
        width: 100%;
      }
      td {
        padding: 0.3rem 0.4rem 0.3rem 0;
        vertical-align: top;
      }
      .amount.neg {
        color: #a4262c;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() memberId = "";
  @property() timeZone = "UTC";
  @property() currency = "EUR";
  /** Owners and admins: assign plans, adjust credits, waive charges. */
  @property({ type: Boolean }) manage = false;
  /** Moves when this member changed elsewhere (a freeze at another screen): the account reads again. */
  @property({ type: Number }) revision = 0;
  @state() private _account: MemberAccount | null = null;
  @state() private _plans: PlanLine[] = [];
  @state() private _error = "";

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("memberId") || changed.has("revision")) && this.memberId) void this._load();
  }

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    const a = this._account;
    if (!a || a.memberId !== this.memberId) return html`<p role="status">Loading account…</p>`;
    const tz = this.timeZone;
    const current = currentPlans(this._plans);
    const forSale = current.filter((p) => p.entitlement.kind === "pack");
    const refunded = new Set(a.charges.flatMap((c) => (c.refundOf ? [c.refundOf] : [])));
    return html`<h3>Account</h3>
      <p>
        <span class="big" data-testid="credits">${a.credits ?? 0} credit${a.credits === 1 ? "" : "s"}</span>
        ${a.creditsExpireAt && (a.credits ?? 0) > 0 ? html`<span class="muted"> · expire ${formatDay(a.creditsExpireAt, tz)}</span>` : nothing}
        · <span data-testid="owed">${a.owedCents > 0 ? `${formatMoney(a.owedCents, this.currency)} owed` : "nothing owed"}</span>
        ${a.plan ? html`<br /><span class="muted">Plan: ${a.plan.name} — ${planTerms(a.plan)}</span>` : nothing}
      </p>
      ${
        a.status === "frozen"
          ? html`<p class="row"><span class="status frozen" data-testid="frozen">Frozen${a.frozenUntil ? ` until ${a.frozenUntil}` : ""}</span>
            <button @click=${() => this._send("gym:unfreezeMember", { memberId: this.memberId }, "Membership unfrozen.")}>Unfreeze</button></p>`
          : html`<form @submit=${this._onFreeze} aria-label="Freeze membership">
            <label>Freeze until <input name="until" type="date" required /></label>
            <label>Reason <input name="reason" required maxlength="300" /></label>
            <button type="submit">Freeze</button>
          </form>`
      }
      <form @submit=${this._onSell} aria-label="Sell a pack">
        <label>Sell <select name="planId" required>${forSale.map((p) => planOption(p, this.currency))}</select></label>
        <label>Paid by <select name="method"><option value="">Not paid yet</option>${Methods.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <button class="primary" type="submit" ?disabled=${forSale.length === 0}>Sell</button>
      </form>
      ${
        this.manage
          ? html`<form @submit=${this._onAssign} aria-label="Assign a plan">
              <label>Plan <select name="planId" required>${current.map((p) => planOption(p, this.currency))}</select></label>
              <label>From <input name="startsOn" type="date" /></label>
              <label>Until <input name="endsOn" type="date" /></label>
              <label>Price override <input name="price" type="number" min="0" step="0.01" placeholder="plan price" /></label>
              <button type="submit">Assign</button>
            </form>
            <form @submit=${this._onAdjust} aria-label="Adjust credits">
              <label>Credits ± <input name="amount" type="number" min="-1000" max="1000" required /></label>
              <label>Reason <input name="reason" required maxlength="300" /></label>
              <button type="submit">Adjust</button>
            </form>`
          : nothing
      }
      <h3>Charges</h3>
      ${
        a.charges.length === 0
          ? html`<p class="muted">No charges.</p>`
          : html`<table aria-label="Charges"><tbody>
            ${a.charges.map(
              (c) => html`<tr>
                <td>${formatDay(c.createdAt, tz)}</td>
                <td>${c.description}</td>
                <td>${formatMoney(c.amountCents, c.currency)}</td>
                <td><span class="status ${c.status}">${c.kind === "refund" ? "given back" : c.status}</span>${c.method ? html` <span class="muted">${c.method.replace("_", " ")}</span>` : nothing}${c.note ? html`<br /><span class="muted">${c.note}</span>` : nothing}</td>
                <td>${
                  c.status === "open"
                    ? html`<button @click=${() => this._settle(c.id, "gym:recordPayment", { method: "cash" }, "Payment recorded.")}>Paid cash</button>
                      <button @click=${() => this._settle(c.id, "gym:recordPayment", { method: "card_terminal" }, "Payment recorded.")}>Paid card</button>
                      ${this.manage ? html`<button @click=${() => this._waive(c.id)}>Waive…</button>` : nothing}`
                    : this.manage && c.status === "paid" && c.kind !== "refund" && c.amountCents > 0
                      ? refunded.has(c.id)
                        ? html`<span class="muted">Refunded</span>`
                        : html`<button @click=${() => this._refund(c.id)}>Refund…</button>`
                      : nothing
                }</td>
              </tr>`,
            )}
          </tbody></table>`
      }
      <h3>Credit history</h3>
      ${
        a.ledger.length === 0
          ? html`<p class="muted">No credit movements.</p>`
          : html`<table aria-label="Credit history"><tbody>
            ${a.ledger.map(
              (e) => html`<tr>
                <td>${formatDay(e.at, tz)}</td>
                <td>${LedgerLabels[e.kind] ?? e.kind}${e.reason ? html` <span class="muted">— ${e.reason}</span>` : nothing}</td>
                <td class="amount ${e.amount < 0 ? "neg" : ""}">${e.amount > 0 ? "+" : ""}${e.amount}</td>
                <td class="muted">= ${e.balanceAfter}</td>
              </tr>`,
            )}
          </tbody></table>`
      }`;
  }

  private async _send(type: string, payload: Record<string, unknown>, done: string): Promise<boolean> {
    const ack = await this.client.command(`gym:${this.gymId}`, type, payload);
    const ok = toasts.fromAck(ack, done);
    if (ok) await this._load();
    return ok;
  }

  private async _onSell(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const method = String(data.get("method") ?? "");
    await this._send(
      "gym:sellPack",
      { memberId: this.memberId, planId: String(data.get("planId")), ...(method ? { paid: { method } } : {}) },
      "Pack sold.",
    );
  }

  private async _onFreeze(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const ack = await this.client.command<{ cancelledBookings: number }>(`gym:${this.gymId}`, "gym:freezeMember", {
      memberId: this.memberId,
      until: String(data.get("until")),
      reason: String(data.get("reason") ?? "").trim(),
    });
    const n = ack.ok ? ack.result.cancelledBookings : 0;
    if (toasts.fromAck(ack, `Membership frozen${n ? `; ${n} booking${n === 1 ? "" : "s"} inside the freeze cancelled without fee` : ""}.`))
      await this._load();
  }

  private async _onAssign(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const opt = (name: string) => (data.get(name) ? { [name]: String(data.get(name)) } : {});
    const price = data.get("price") ? { priceCents: Math.round(Number(data.get("price")) * 100) } : {};
    await this._send(
      "gym:assignPlan",
      { memberId: this.memberId, planId: String(data.get("planId")), ...opt("startsOn"), ...opt("endsOn"), ...price },
      "Plan assigned.",
    );
  }

  private async _onAdjust(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    if (
      await this._send(
        "gym:adjustCredits",
        { memberId: this.memberId, amount: Number(data.get("amount")), reason: String(data.get("reason") ?? "").trim() },
        "Credits adjusted.",
      )
    )
      form.reset();
  }

  private _settle(chargeId: string, type: string, extra: Record<string, unknown>, done: string): void {
    void this._send(type, { chargeId, ...extra }, done);
  }

  private _refund(chargeId: string): void {
    const reason = prompt("Why is this payment given back? The member is told.")?.trim();
    if (reason) this._settle(chargeId, "gym:refundCharge", { reason }, "Refund recorded — give the money back the way it was paid.");
  }

  private _waive(chargeId: string): void {
    const reason = prompt("Why is this charge waived?")?.trim();
    if (reason) this._settle(chargeId, "gym:waiveCharge", { reason }, "Charge waived.");
  }

  private async _load(): Promise<void> {
    const memberId = this.memberId;
    this._error = "";
    const [ack, plans] = await Promise.all([
      this.client.command<MemberAccount>(`gym:${this.gymId}`, "gym:memberAccount", { memberId }),
      loadPlans(this.client, this.gymId),
    ]);
    if (memberId !== this.memberId) return;
    if (plans.ok) this._plans = plans.result.plans;
    if (ack.ok) this._account = ack.result;
    else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-account": MemberAccountView;
  }
}
