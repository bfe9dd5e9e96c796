import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { newestFirst } from "../../domain/notices/inbox.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { UserView } from "../../domain/views/userView.js";
import { RoomController } from "../../web/shared/RoomController.js";

/** The staff member's own notices in the header: a live unread badge (every device and node) and the newest five. */
@customElement("staff-inbox")
export class StaffInbox extends LitElement {
  static override styles = css`
    :host {
      position: relative;
      display: inline-block;
    }
    summary {
      cursor: pointer;
      list-style: none;
      padding: 0.2rem 0.5rem;
      border: 1px solid #8a96ad;
      border-radius: 0.4rem;
      color: #fff;
    }
    summary:focus-visible {
      outline: 3px solid #93c5fd;
      outline-offset: 2px;
    }
    .badge {
      display: inline-block;
      min-width: 1.1rem;
      margin-left: 0.3rem;
      padding: 0 0.3rem;
      border-radius: 0.6rem;
      background: #b42318;
      color: #fff;
      font-weight: 700;
      text-align: center;
    }
    .panel {
      position: absolute;
      right: 0;
      z-index: 20;
      width: min(22rem, 90vw);
      margin-top: 0.3rem;
      padding: 0.5rem;
      background: #fff;
      color: #1f2328;
      border-radius: 0.6rem;
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      padding: 0.4rem 0.2rem;
      border-bottom: 1px solid #e5e7eb;
    }
    li.unread {
      font-weight: 600;
    }
    button {
      margin-top: 0.4rem;
      min-height: 2.25rem;
      padding: 0 0.75rem;
      border: 1px solid #c4cad2;
      border-radius: 0.4rem;
      background: #fff;
      font: inherit;
    }
  `;

  @property({ attribute: false }) client!: SpotterClient;
  @property() userId = "";
  private _room!: RoomController<UserView>;

  override connectedCallback() {
    this._room ??= new RoomController<UserView>(this, this.client, `user:${this.userId}` as RoomId);
    super.connectedCallback();
  }

  override render() {
    const view = this._room.view;
    const unread = view?.unread ?? 0;
    const newest = Object.values(view?.notices ?? {})
      .sort(newestFirst)
      .slice(0, 5);
    return html`<details>
      <summary aria-label="Notices, ${unread} unread">Notices${unread > 0 ? html`<span class="badge" data-testid="staff-unread">${unread > 99 ? "99+" : unread}</span>` : ""}</summary>
      <div class="panel">
        ${
          newest.length === 0
            ? html`<p>Nothing yet — held challenge results and reports to moderate show up here.</p>`
            : html`<ul>
              ${newest.map((n) => html`<li class=${n.readAt === null ? "unread" : "read"}>${n.text}</li>`)}
            </ul>`
        }
        <button ?disabled=${unread === 0} @click=${this._onReadAll}>Mark all read</button>
      </div>
    </details>`;
  }

  private _onReadAll = () => void this.client.command(`user:${this.userId}` as RoomId, "inbox:markAllRead", {});
}

declare global {
  interface HTMLElementTagNameMap {
    "staff-inbox": StaffInbox;
  }
}
