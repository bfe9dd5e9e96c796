import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { errorMessage } from "../../domain/client/index.js";
import { toasts } from "../../web/shared/toasts.js";
import type { Send } from "./types.js";

interface SessionLine {
  sessionId: string;
  device: string;
  method: string;
  createdAt: number;
  lastSeenAt: number;
}

/** "Where I'm signed in": my devices with when they were last seen; sign one out, or every one. */
@customElement("member-sessions")
export class MemberSessions extends LitElement {
  static override styles = css`
    :host {
      display: block;
      margin-top: 1.25rem;
    }
    ul {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    li {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 0.5rem;
      background: var(--card, #fff);
      border-radius: 0.6rem;
      padding: 0.6rem 0.8rem;
    }
    .label {
      color: var(--muted, #5b6470);
      font-size: 0.85rem;
    }
    button {
      min-height: 2.5rem;
    }
  `;

  @property({ attribute: false }) send: Send | null = null;
  @property({ attribute: false }) userRoom: RoomId | null = null;
  @state() private _sessions: SessionLine[] | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    return html`<h3>Where you're signed in</h3>
      ${
        this._sessions === null
          ? html`<p role="status">Loading…</p>`
          : this._sessions.length === 0
            ? html`<p>Only here (this device signed in with a link from a script).</p>`
            : html`<ul>
              ${this._sessions.map(
                (s) => html`<li>
                  <span><strong>${s.device}</strong><br /><span class="label">last seen ${new Date(s.lastSeenAt).toLocaleString("en-GB")}</span></span>
                  <button @click=${() => this._onEnd(s)} aria-label=${`Sign out ${s.device}`}>Sign out</button>
                </li>`,
              )}
            </ul>`
      }
      <button @click=${this._onEverywhere}>Sign out everywhere</button>
      ${nothing}`;
  }

  private async _load(): Promise<void> {
    if (!this.send || !this.userRoom) return;
    const ack = await this.send<{ sessions: SessionLine[] }>(this.userRoom, "user:sessions", {});
    if (ack.ok) this._sessions = ack.result.sessions;
    else toasts.error(ack.error);
  }

  private async _onEnd(s: SessionLine): Promise<void> {
    if (!this.send || !this.userRoom) return;
    const ack = await this.send(this.userRoom, "user:endSession", { sessionId: s.sessionId });
    if (!ack.ok) return void toasts.error(ack.error);
    toasts.success(`${s.device} is signed out.`);
    await this._load();
  }

  private async _onEverywhere(): Promise<void> {
    if (!this.send || !this.userRoom) return;
    const ack = await this.send(this.userRoom, "user:signOutEverywhere", {});
    if (!ack.ok) toasts.error(errorMessage(ack.error));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-sessions": MemberSessions;
  }
}
