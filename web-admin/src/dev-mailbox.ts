import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";

interface DevMessage {
  id: string;
  at: number;
  to: string;
  subject: string;
  text: string;
}

/**
 * The dev mailbox (embedded mode without SMTP_URL): the mail Spotter would have sent, newest first, with its links —
 * what a mail catcher shows, with nothing to install. Refreshes every 2 s.
 */
@customElement("dev-mailbox")
export class DevMailbox extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 48rem;
      margin: 1.5rem auto;
      padding: 0 1rem;
    }
    article {
      border: 1px solid #d0d5dd;
      border-radius: 0.6rem;
      padding: 0.75rem 1rem;
      margin-bottom: 0.75rem;
    }
    pre {
      white-space: pre-wrap;
      word-break: break-word;
      font: inherit;
    }
    .muted {
      color: #475467;
      font-size: 0.875rem;
    }
  `;

  @state() private _messages: DevMessage[] = [];
  @state() private _error = "";
  private _timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
    this._timer = setInterval(() => void this._load(), 2_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
  }

  override render() {
    return html`<h1>Dev mailbox</h1>
      <p class="muted">Mail Spotter sent on this machine (no SMTP_URL is set). Open a sign-in link in this browser, or type its code.</p>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      ${this._messages.length === 0 && !this._error ? html`<p role="status">No mail yet.</p>` : nothing}
      ${this._messages.map(
        (m) => html`<article aria-label=${m.subject}>
          <h2>${m.subject}</h2>
          <p class="muted">To ${m.to} · ${new Date(m.at).toLocaleString()}</p>
          <pre>${unsafeHTML(linkify(m.text))}</pre>
        </article>`,
      )}`;
  }

  private async _load(): Promise<void> {
    try {
      const res = await fetch("/api/dev-mail", { credentials: "same-origin" });
      const body = (await res.json()) as { messages?: DevMessage[]; error?: { message?: string } };
      if (!res.ok) this._error = body.error?.message ?? "The dev mailbox is not available here (is SMTP_URL set?).";
      else this._messages = body.messages ?? [];
    } catch {
      this._error = "Can't reach Spotter — is it running?";
    }
  }
}

/** Escapes the text and makes this server's links clickable (only same-origin http(s) links). */
function linkify(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => (url.startsWith(location.origin) ? `<a href="${url}">${url}</a>` : url));
}

declare global {
  interface HTMLElementTagNameMap {
    "dev-mailbox": DevMailbox;
  }
}
