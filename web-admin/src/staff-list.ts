import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { Role } from "../../domain/model.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./confirm-dialog.js";
import type { ConfirmDialog } from "./confirm-dialog.js";
import { RoleLabels } from "./roles.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";

interface StaffPerson {
  memberId: string;
  name: string;
  email: string;
  role: Role;
  status: string;
}

/**
 * The people on the gym's staff (owners and admins): change someone's role, or deactivate them — their sessions end
 * and every open screen of theirs stops at once. Nobody changes their own row; only an owner touches an owner's.
 */
@customElement("staff-list")
export class StaffList extends LitElement {
  static override styles = [
    shared,
    css`
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li {
        display: grid;
        grid-template-columns: minmax(10rem, 1fr) minmax(9rem, auto) auto;
        gap: 0.5rem 1rem;
        align-items: center;
        padding: 0.5rem 0;
        border-bottom: 1px solid #e3e7ee;
      }
      .who small {
        display: block;
        word-break: break-all;
      }
      select,
      button {
        min-height: 2.5rem;
      }
      @media (max-width: 640px) {
        li {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _staff: StaffPerson[] | null = null;
  @state() private _error = "";
  @query("confirm-dialog") private _confirm!: ConfirmDialog;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Reads the list again (after an invitation was accepted, a change elsewhere). */
  async reload(): Promise<void> {
    const ack = await this.client.command<{ staff: StaffPerson[] }>(this._room, "gym:staff", {});
    if (ack.ok) this._staff = ack.result.staff;
    else this._error = errorMessage(ack.error);
  }

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    if (!this._staff) return html`<p role="status">Loading staff…</p>`;
    return html`<ul aria-label="Staff">
        ${this._staff.map((p) => this._row(p))}
      </ul>
      <confirm-dialog confirmLabel="Deactivate"></confirm-dialog>`;
  }

  private _row(p: StaffPerson) {
    const locked = p.memberId === this.me.userId || (p.role === "owner" && this.me.role !== "owner");
    const roles: Role[] =
      this.me.role === "owner" ? ["owner", "admin", "coach", "front_desk", "member"] : ["admin", "coach", "front_desk", "member"];
    return html`<li data-staff=${p.memberId}>
      <span class="who"><strong>${p.name}</strong>${p.status !== "active" ? html` <span class="muted">(${p.status})</span>` : nothing}<small class="muted">${p.email}</small></span>
      ${
        locked
          ? html`<span>${RoleLabels[p.role]}</span><span class="muted">${p.memberId === this.me.userId ? "You" : ""}</span>`
          : html`<label
              >Role of ${p.name}
              <select @change=${(e: Event) => this._onRole(p, e)}>
                ${roles.map((r) => html`<option value=${r} ?selected=${r === p.role}>${RoleLabels[r]}</option>`)}
              </select></label
            >
            <button class="danger" @click=${() => this._onDeactivate(p)} aria-label=${`Deactivate ${p.name}`}>Deactivate</button>`
      }
    </li>`;
  }

  private get _room() {
    return `gym:${this.me.gymId}` as const;
  }

  private async _onRole(p: StaffPerson, e: Event): Promise<void> {
    const select = e.target as HTMLSelectElement;
    const role = select.value as Role;
    const ack = await this.client.command<{ role: Role }>(this._room, "gym:setMembership", { memberId: p.memberId, role });
    if (!toasts.fromAck(ack, `${p.name} is now ${RoleLabels[role].toLowerCase()} — their open screens follow at once.`))
      select.value = p.role;
    await this.reload();
  }

  private async _onDeactivate(p: StaffPerson): Promise<void> {
    const ok = await this._confirm.open(
      `Deactivate ${p.name}?`,
      "They are signed out on every device at once and can no longer open this gym. Their history stays.",
    );
    if (ok === null) return;
    const ack = await this.client.command<{ ended: number }>(this._room, "gym:deactivateStaff", { memberId: p.memberId });
    if (toasts.fromAck(ack, `${p.name} is deactivated and signed out everywhere.`)) await this.reload();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "staff-list": StaffList;
  }
}
