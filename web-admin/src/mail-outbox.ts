import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { formatStamp } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { logTable, shared } from "./styles.js";

interface Mail {
  mailId: string;
  to: string;
  template: string;
  status: "queued" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  nextAttemptAt: number | null;
}

const Kinds: Record<string, string> = { sign_in: "Sign-in link", no_account: "No account", invitation: "Invitation", sign_up: "Sign-up" };

/** The gym's outgoing mail (sign-in links, invitations, sign-ups): to whom, what, and whether it went out — never its content. */
@customElement("mail-outbox")
export class MailOutboxView extends LitElement {
  static override styles = [
    shared,
    logTable,
    css`
      td.to {
        word-break: break-all;
      }
      .failed {
        color: #9b1c1c;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @state() private _mail: Mail[] | null = null;
  @state() private _error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Reads the outbox again (the Staff screen calls it after an invitation). */
  async reload(): Promise<void> {
    const ack = await this.client.command<{ mail: Mail[] }>(`gym:${this.gymId}`, "gym:mailOutbox", {});
    if (ack.ok) this._mail = ack.result.mail.slice(0, 20);
    else this._error = errorMessage(ack.error);
  }

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    if (!this._mail) return html`<p role="status">Loading mail…</p>`;
    if (this._mail.length === 0) return html`<p class="muted">No mail sent yet.</p>`;
    const time = (ms: number) => formatStamp(ms, this.timeZone);
    return html`<div class="table-wrap">
      <table aria-label="Outgoing mail">
        <thead>
          <tr><th scope="col">To</th><th scope="col">What</th><th scope="col">State</th></tr>
        </thead>
        <tbody>
          ${this._mail.map(
            (m) => html`<tr data-mail=${m.mailId}>
              <td class="to">${m.to}</td>
              <td>${Kinds[m.template] ?? m.template}<br /><span class="muted">${time(m.createdAt)}</span></td>
              <td class=${m.status === "failed" ? "failed" : ""}>
                ${m.status === "sent" ? `Sent${m.sentAt ? ` ${time(m.sentAt)}` : ""}` : m.status === "failed" ? "Not delivered" : m.attempts > 0 ? `Retrying (${m.attempts} tries)` : "Queued"}
                ${m.lastError && m.status !== "sent" ? html`<br /><span class="muted">${m.lastError}</span>` : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "mail-outbox": MailOutboxView;
  }
}
