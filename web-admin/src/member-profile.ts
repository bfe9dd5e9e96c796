import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { Role } from "../../domain/model.js";
import "./confirm-dialog.js";
import type { ConfirmDialog } from "./confirm-dialog.js";
import "./member-details-form.js";
import "./member-standing.js";
import "./member-tags.js";
import { RoleLabels, capabilities } from "./roles.js";
import { toasts } from "../../web/shared/toasts.js";
import { href } from "./router.js";
import { shared } from "./styles.js";
import type { MemberProfile, ProfileBooking } from "./types.js";
import { formatDay, formatMoney, formatWhen } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";

/**
 * One member: details, tags, standing, plan and credits (if the role may see them), bookings, streak, fees. The desk
 * roles edit details and tags; owners and admins also mark past due / settled, cancel and invite to the app. For a
 * staff member, owners and admins can sign them out of every device (a lost tablet, someone leaving):
 * `gym:endStaffSessions`. Reads again when `revision` moves (someone changed this member anywhere: MemberChanges).
 */
@customElement("member-profile")
export class MemberProfileView extends LitElement {
  static override styles = [
    shared,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.3rem 1rem;
        margin: 0 0 1rem;
      }
      dt {
        color: #4a5160;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .note {
        background: #fff0d6;
        padding: 0.5rem;
        border-radius: 0.4rem;
      }
      h3 {
        margin-top: 1rem;
        font-size: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() memberId = "";
  @property() timeZone = "UTC";
  /** The gym's currency (plan prices in the reactivate dialog). */
  @property() currency = "EUR";
  /** Who is looking: owners and admins may end a staff member's sessions. */
  @property() viewerRole: Role = "front_desk";
  /** Who is looking: one's own membership is read-only here. */
  @property() viewerId = "";
  /** Moves when this member changed elsewhere: the profile reads again. */
  @property({ type: Number }) revision = 0;
  @state() private _profile: MemberProfile | null = null;
  @state() private _editing = false;
  @query("confirm-dialog") private _confirm!: ConfirmDialog;
  @state() private _error = "";

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("memberId")) this._editing = false;
    if ((changed.has("memberId") || changed.has("revision")) && this.memberId) void this._load();
  }

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    const p = this._profile;
    if (!p || p.memberId !== this.memberId) return html`<p role="status">Loading profile…</p>`;
    const tz = this.timeZone;
    const can = capabilities(this.viewerRole);
    // The front desk changes members only; nobody edits their own membership here (the server says the same).
    const mayEdit = can.account && p.memberId !== this.viewerId && (p.role === "member" || can.managePlans);
    return html`
      <h2>${p.name}</h2>
      <dl>
        <dt>Status</dt><dd><span class="status ${p.status}" data-testid="member-status">${p.status.replace("_", " ")}</span>${p.frozenUntil ? ` until ${p.frozenUntil}` : ""}</dd>
        ${p.role !== "member" ? html`<dt>Role</dt><dd>${RoleLabels[p.role]}</dd>` : nothing}
        <dt>Email</dt><dd><a href="mailto:${p.email}">${p.email}</a></dd>
        <dt>Phone</dt><dd data-testid="member-phone">${p.phone || "—"}</dd>
        <dt>Birthday</dt><dd>${p.birthday ?? "—"}</dd>
        <dt>Emergency contact</dt><dd>${p.emergencyContact || "—"}</dd>
        <dt>Member since</dt><dd>${formatDay(p.joinedAt, tz)}</dd>
        <dt>App</dt><dd>${p.signIn.signedIn ? "Signed in before" : "Never signed in"}</dd>
        <dt>Streak</dt><dd>${p.streak} day${p.streak === 1 ? "" : "s"}</dd>
        ${p.plan ? html`<dt>Plan</dt><dd>${p.plan.name} · aims for ${p.plan.weeklyTarget}/week</dd>` : nothing}
        ${p.credits !== null ? html`<dt>Credits</dt><dd>${p.credits}${p.creditsExpireAt ? ` (expire ${formatDay(p.creditsExpireAt, tz)})` : ""}</dd>` : nothing}
      </dl>
      <h3>Tags</h3>
      <member-tags .client=${this.client} .gymId=${this.gymId} .profile=${p} ?editable=${mayEdit} @member-saved=${this._onSaved}></member-tags>
      ${
        this._editing
          ? html`<member-details-form .client=${this.client} .gymId=${this.gymId} .profile=${p} @member-saved=${this._onSaved} @member-edit-cancelled=${() => (this._editing = false)}></member-details-form>`
          : mayEdit
            ? html`<p><button type="button" @click=${() => (this._editing = true)}>Edit details</button></p>`
            : nothing
      }
      ${
        can.managePlans && p.role === "member"
          ? html`<member-standing .client=${this.client} .gymId=${this.gymId} .timeZone=${tz} .currency=${this.currency} .profile=${p} @member-saved=${this._onSaved}></member-standing>`
          : nothing
      }
      ${p.notes ? html`<p class="note">⚠ ${p.notes}</p>` : nothing}
      ${
        this._mayEndSessions(p)
          ? html`<p><button class="danger" @click=${this._onEndSessions}>Sign ${p.name} out of every device</button></p>
            <confirm-dialog heading="Sign out of every device?" message="Every device ${p.name} is signed in on is signed out within a second; they sign in again with their email." confirmLabel="Sign out everywhere"></confirm-dialog>`
          : nothing
      }
      <h3>Upcoming</h3>
      ${this._bookings(p.upcoming, "No upcoming bookings.")}
      <h3>Recent attendance</h3>
      ${this._bookings(p.history.slice(0, 15), "No classes yet.")}
      ${
        p.fees
          ? html`<h3>Fees</h3>
            ${
              p.fees.length === 0
                ? html`<p class="muted">No fees.</p>`
                : html`<table>
                  <tbody>
                    ${p.fees.map(
                      (f) => html`<tr>
                        <td>${formatDay(f.createdAt, tz)}</td>
                        <td>${f.kind.replace("_", " ")}</td>
                        <td>${formatMoney(f.amountCents, f.currency)}${f.waived ? " (waived)" : ""}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`
            }`
          : nothing
      }
    `;
  }

  private _onSaved(e: Event): void {
    e.stopPropagation();
    this._editing = false;
    void this._load();
  }

  /** Staff, seen by an owner or admin (only an owner signs an owner out). */
  private _mayEndSessions(p: MemberProfile): boolean {
    if (p.role === "member" || !(this.viewerRole === "owner" || this.viewerRole === "admin")) return false;
    return p.role !== "owner" || this.viewerRole === "owner";
  }

  private async _onEndSessions(): Promise<void> {
    const p = this._profile!;
    if ((await this._confirm.open()) === null) return;
    const ack = await this.client.command<{ ended: number }>(`gym:${this.gymId}`, "gym:endStaffSessions", { memberId: p.memberId });
    toasts.fromAck(
      ack,
      ack.ok
        ? `${p.name} is signed out of every device (${ack.result.ended} ${ack.result.ended === 1 ? "session" : "sessions"}).`
        : undefined,
    );
  }

  private _bookings(list: ProfileBooking[], empty: string) {
    if (list.length === 0) return html`<p class="muted">${empty}</p>`;
    return html`<table>
      <tbody>
        ${list.map(
          (b) => html`<tr>
            <td>${formatWhen(b.startsAt, this.timeZone)}</td>
            <td><a href=${href({ name: "class", id: b.sessionId })}>${b.className}</a></td>
            <td><span class="status ${b.status}">${b.status.replace("_", " ")}</span></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private async _load(): Promise<void> {
    const memberId = this.memberId;
    this._error = "";
    const ack = await this.client.command<MemberProfile>(`gym:${this.gymId}`, "gym:memberProfile", { memberId });
    if (memberId !== this.memberId) return;
    if (ack.ok) this._profile = ack.result;
    else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-profile": MemberProfileView;
  }
}
