import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { Role } from "../../domain/model.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./mail-outbox.js";
import "./notice-deliveries.js";
import "./staff-list.js";
import type { MailOutboxView } from "./mail-outbox.js";
import { RoleLabels } from "./roles.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";

interface MailState {
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: number | null;
  nextAttemptAt: number | null;
}

interface Invitation {
  invitationId: string;
  email: string;
  role: Role;
  state: "open" | "accepted" | "expired" | "revoked";
  createdAt: number;
  expiresAt: number;
  mail: MailState | null;
}

const StateLabels: Record<Invitation["state"], string> = {
  open: "Waiting",
  accepted: "Accepted",
  expired: "Expired",
  revoked: "Withdrawn",
};

/**
 * Owners and admins invite staff (and members) by email with a role: a single-use link valid 7 days. The list shows
 * each invitation's state and whether its mail went out; an open one can be withdrawn (its link stops working).
 */
@customElement("staff-screen")
export class StaffScreen extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.5rem 1rem;
        align-items: end;
        margin-bottom: 1.25rem;
      }
      input,
      select,
      button {
        min-height: 2.5rem;
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 0.45rem 0.5rem;
        border-bottom: 1px solid #e3e7ee;
        vertical-align: top;
      }
      td.email {
        word-break: break-all;
      }
      .failed {
        color: #9b1c1c;
      }
      /* A phone: one invitation per block, labels from the header. */
      @media (max-width: 640px) {
        thead {
          display: none;
        }
        tr,
        td {
          display: block;
        }
        tr {
          border-bottom: 1px solid #e3e7ee;
          padding: 0.4rem 0;
        }
        td {
          border: 0;
          padding: 0.15rem 0.25rem;
        }
        td[data-label]::before {
          content: attr(data-label) ": ";
          font-weight: 600;
        }
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _list: Invitation[] | null = null;
  @state() private _error = "";
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;
  @query("mail-outbox") private _outbox!: MailOutboxView | null;

  private _poll: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._poll);
  }

  override render() {
    if (this._error) return html`<h1>Staff</h1><p role="alert">${this._error}</p>`;
    const roles: Role[] =
      this.me.role === "owner" ? ["coach", "front_desk", "admin", "owner", "member"] : ["coach", "front_desk", "admin", "member"];
    return html`<h1>Staff</h1>
      <form class="card" aria-labelledby="invite-h" @submit=${this._onInvite}>
        <h2 id="invite-h" style="grid-column: 1 / -1">Invite someone</h2>
        <label>Email address<input name="email" type="email" required maxlength="320" autocomplete="off" />
          ${this._fields.email ? html`<span role="alert" class="failed">${this._fields.email}</span>` : nothing}</label>
        <label>Role
          <select name="role">${roles.map((r) => html`<option value=${r}>${RoleLabels[r]}</option>`)}</select>
        </label>
        <button class="primary" type="submit" ?disabled=${this._busy}>Send invitation</button>
        <p class="muted" style="grid-column: 1 / -1">They get a link by email, valid for 7 days and usable once.</p>
      </form>
      <section class="card" aria-labelledby="people-h" style="margin-bottom: 1.25rem">
        <h2 id="people-h">People on staff</h2>
        <staff-list .client=${this.client} .me=${this.me}></staff-list>
      </section>
      <section class="card" aria-labelledby="invitations-h">
        <h2 id="invitations-h">Invitations</h2>
        ${this._table()}
      </section>
      <section class="card" aria-labelledby="mail-h" style="margin-top: 1.25rem">
        <h2 id="mail-h">Outgoing mail</h2>
        <mail-outbox .client=${this.client} .gymId=${this.me.gymId} .timeZone=${this.me.timeZone}></mail-outbox>
      </section>
      <section class="card" aria-labelledby="notices-h" style="margin-top: 1.25rem">
        <h2 id="notices-h">Notifications</h2>
        <notice-deliveries .client=${this.client} .gymId=${this.me.gymId} .timeZone=${this.me.timeZone}></notice-deliveries>
      </section>`;
  }

  private _table() {
    const list = this._list;
    if (!list) return html`<p role="status">Loading invitations…</p>`;
    if (list.length === 0) return html`<p class="muted">No invitations yet.</p>`;
    const day = (ms: number) => new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: this.me.timeZone });
    return html`<div class="table-wrap">
      <table>
        <thead>
          <tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Invitation</th><th scope="col">Mail</th><th scope="col"><span class="muted">Action</span></th></tr>
        </thead>
        <tbody>
          ${list.map(
            (i) => html`<tr data-invitation=${i.invitationId}>
              <td class="email" data-label="Email">${i.email}</td>
              <td data-label="Role">${RoleLabels[i.role]}</td>
              <td data-label="Invitation">${StateLabels[i.state]}${i.state === "open" ? ` · until ${day(i.expiresAt)}` : ""}</td>
              <td data-label="Mail" class=${i.mail?.status === "failed" ? "failed" : ""}>${this._mail(i.mail)}</td>
              <td>${i.state === "open" ? html`<button class="danger" @click=${() => this._onRevoke(i)} aria-label=${`Withdraw the invitation to ${i.email}`}>Withdraw</button>` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private _mail(m: MailState | null): string {
    if (!m) return "Not queued";
    const time = (ms: number) =>
      new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", timeZone: this.me.timeZone });
    if (m.status === "sent") return m.sentAt ? `Sent ${time(m.sentAt)}` : "Sent";
    if (m.status === "failed") return `Not delivered${m.lastError ? ` — ${m.lastError}` : ""}`;
    return m.attempts > 0
      ? `Retrying${m.nextAttemptAt ? ` at ${time(m.nextAttemptAt)}` : ""} (${m.attempts} tries${m.lastError ? `: ${m.lastError}` : ""})`
      : "Queued";
  }

  private get _room() {
    return `gym:${this.me.gymId}` as const;
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<{ invitations: Invitation[] }>(this._room, "gym:invitations", {});
    if (ack.ok) this._list = ack.result.invitations;
    else this._error = errorMessage(ack.error);
    void this._outbox?.reload();
    // A mail still in the queue: look again shortly, so "Queued" turns into "Sent" (or a failure) without a reload.
    clearTimeout(this._poll);
    if (this.isConnected && this._list?.some((i) => i.mail?.status === "queued")) this._poll = setTimeout(() => void this._load(), 3_000);
  }

  private async _onInvite(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get("email") ?? "").trim();
    this._busy = true;
    const ack = await this.client.command<{ invitationId: string }>(this._room, "gym:invite", { email, role: data.get("role") });
    this._busy = false;
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    if (!toasts.fromAck(ack, `Invitation sent to ${email}.`)) return;
    form.reset();
    await this._load();
  }

  private async _onRevoke(i: Invitation): Promise<void> {
    const ack = await this.client.command<{ revoked: boolean }>(this._room, "gym:revokeInvitation", { invitationId: i.invitationId });
    if (
      toasts.fromAck(
        ack,
        ack.ok && ack.result.revoked
          ? `The invitation to ${i.email} is withdrawn — its link no longer works.`
          : "That invitation was already used or withdrawn.",
      )
    )
      await this._load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "staff-screen": StaffScreen;
  }
}
