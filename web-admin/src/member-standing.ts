import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { MembershipStatus } from "../../domain/model.js";
import { formatDay } from "../../web/shared/format.js";
import { errorWithFields } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./confirm-dialog.js";
import type { ConfirmDialog } from "./confirm-dialog.js";
import { currentPlans, loadPlans, planOption } from "./gymPlans.js";
import { shared } from "./styles.js";
import type { MemberProfile, PlanLine } from "./types.js";

interface StandingAction {
  status: MembershipStatus;
  /** The request it sends (default `gym:setMembership { status }`). */
  type?: "gym:reactivateMember";
  label: string;
  /** Asked before it is done (null: done at once). */
  confirm: { heading: string; message: string; label: string } | null;
  done: string;
  danger?: boolean;
}

/** What owners and admins can do to a member's standing from each status (freezes live in the account panel). */
function actionsFor(p: MemberProfile): StandingAction[] {
  const cancel: StandingAction = {
    status: "cancelled",
    label: "Cancel membership",
    confirm: {
      heading: `Cancel ${p.name}'s membership?`,
      message: `${p.name} can no longer book or check in, and their open screens follow at once. Their history stays.`,
      label: "Cancel membership",
    },
    done: `${p.name}'s membership is cancelled.`,
    danger: true,
  };
  if (p.status === "active")
    return [
      {
        status: "past_due",
        label: "Mark past due",
        confirm: {
          heading: `Mark ${p.name} past due?`,
          message: `Until it is settled, ${p.name} is told "Payment overdue — ask the front desk" when booking or checking in.`,
          label: "Mark past due",
        },
        done: `${p.name} is marked past due.`,
      },
      cancel,
    ];
  if (p.status === "past_due")
    return [
      { status: "active", label: "Mark settled", confirm: null, done: `${p.name} is settled: they can book and check in again.` },
      cancel,
    ];
  if (p.status === "frozen") return [cancel];
  if (p.status === "cancelled" && p.role === "member")
    return [
      {
        status: "active",
        type: "gym:reactivateMember",
        label: "Reactivate membership",
        confirm: {
          heading: `Reactivate ${p.name}'s membership?`,
          message: `${p.name} becomes active again with the plan and plan dates they had — nothing is sold or charged, credits stay as they were. If that plan has ended, assign a new one. Another plan starts today, its first dues charged.`,
          label: "Reactivate",
        },
        done: `${p.name}'s membership is active again.`,
      },
    ];
  return [];
}

/**
 * A member's standing for owners and admins: mark past due, settled, cancel (`gym:setMembership { status }`, each
 * destructive step confirmed), reactivate a cancelled member (`gym:reactivateMember`, confirmed; on the plan they had or
 * onto another current plan from today), and "Invite to the app" for someone who never signed in (`gym:invite`, role member).
 * Fires `member-saved` after a change.
 */
@customElement("member-standing")
export class MemberStanding extends LitElement {
  static override styles = [
    shared,
    css`
      .row {
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @property() currency = "EUR";
  @property({ attribute: false }) profile!: MemberProfile;
  @query("confirm-dialog") private _confirm!: ConfirmDialog;
  @query("select[name=planId]") private _planPick!: HTMLSelectElement | null;
  /** The gym's current plans, read when the reactivate dialog opens (null: not asked for). */
  @state() private _plans: PlanLine[] | null = null;

  override render() {
    const p = this.profile;
    const mayInvite = !p.signIn.signedIn && p.status !== "cancelled";
    const invitedAt = p.signIn.invitedAt;
    return html`<div class="row" role="group" aria-label="Membership standing">
        ${actionsFor(p).map(
          (a) =>
            html`<button type="button" class=${a.danger ? "danger" : ""} data-status=${a.status} @click=${() => this._onStatus(a)}>${a.label}</button>`,
        )}
        ${mayInvite ? html`<button type="button" @click=${this._onInvite}>${invitedAt ? "Send the invitation again" : "Invite to the app"}</button>` : nothing}
      </div>
      ${mayInvite && invitedAt ? html`<p class="muted" data-testid="invited">Invited ${formatDay(invitedAt, this.timeZone)} — not signed in yet.</p>` : nothing}
      <confirm-dialog>${this._plans ? this._planPicker(this._plans) : nothing}</confirm-dialog>`;
  }

  private _planPicker(plans: PlanLine[]) {
    return html`<label>Plan <select name="planId">
        <option value="" selected>Keep the current plan${this.profile.plan ? ` (${this.profile.plan.name})` : ""}</option>
        ${plans.map((p) => planOption(p, this.currency))}
      </select></label>`;
  }

  private async _onStatus(a: StandingAction): Promise<void> {
    const p = this.profile;
    this._plans = null;
    if (a.type === "gym:reactivateMember") {
      const plans = await loadPlans(this.client, this.gymId);
      if (!plans.ok) return void toasts.error(plans.error);
      this._plans = currentPlans(plans.result.plans);
      await this.updateComplete;
      if (this._planPick) this._planPick.value = ""; // each time: the plan they had unless staff pick another
    }
    if (a.confirm) {
      this._confirm.confirmLabel = a.confirm.label;
      if ((await this._confirm.open(a.confirm.heading, a.confirm.message)) === null) return;
    }
    if (a.type) return this._reactivate(p, a, this._planPick?.value ?? "");
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:setMembership", { memberId: p.memberId, status: a.status });
    if (toasts.fromAck(ack, a.done)) this._saved();
  }

  /** Back to active on the plan they had (no `planId`), or onto the chosen plan from today. */
  private async _reactivate(p: MemberProfile, a: StandingAction, planId: string): Promise<void> {
    const plan = this._plans?.find((x) => x.planId === planId);
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:reactivateMember", {
      memberId: p.memberId,
      ...(plan ? { planId } : {}),
    });
    // A refusal names its field (an archived plan, a status changed meanwhile): say which, there is no field to highlight.
    if (!ack.ok) return void toasts.error(errorWithFields(ack.error));
    toasts.success(
      plan ? `${p.name}'s membership is active again on ${plan.name} from today; its first dues are in their account.` : a.done,
    );
    this._saved();
  }

  private async _onInvite(): Promise<void> {
    const p = this.profile;
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:invite", { email: p.email, role: "member" });
    if (toasts.fromAck(ack, `Invitation sent to ${p.email}: a sign-in link valid for 7 days.`)) this._saved();
  }

  private _saved(): void {
    this.dispatchEvent(new CustomEvent("member-saved", { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-standing": MemberStanding;
  }
}
