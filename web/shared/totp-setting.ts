import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { call, listFactors } from "./factorApi.js";
import { totpQr } from "./totp-qr.js";
import { settingCard } from "./settingCard.js";

/**
 * The profile's authenticator app (a second factor for staff): set it up (QR code or key, then its first code), or
 * remove it with a current code — a stolen session alone cannot take the factor away.
 */
@customElement("totp-setting")
export class TotpSetting extends LitElement {
  static override styles = [
    settingCard,
    css`
    form {
      display: grid;
      gap: 0.5rem;
      justify-items: start;
    }
    label {
      display: grid;
      gap: 0.25rem;
      font-weight: 600;
    }
    input {
      font: inherit;
      font-size: 1.3rem;
      letter-spacing: 0.2em;
      width: 9rem;
      min-height: 2.75rem;
      padding: 0 0.5rem;
      border-radius: 0.5rem;
      border: 1px solid #98a2b3;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    code {
      word-break: break-all;
    }
    .muted {
      color: var(--muted, #5b6470);
      font-size: 0.85rem;
    }
    .error {
      color: var(--danger, #b42318);
      font-weight: 600;
    }
  `,
  ];

  @state() private _on: boolean | null = null;
  @state() private _setup: { secret: string; uri: string } | null = null;
  @state() private _message = "";
  @state() private _error = "";
  @state() private _busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    if (this._on === null) return html`<h3>Authenticator app</h3><p role="status">Loading…</p>`;
    const alert = this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing;
    const status = this._message ? html`<p role="status">${this._message}</p>` : nothing;
    const code = (label: string) =>
      html`<label>${label}<input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required /></label>`;
    if (this._on)
      return html`<h3>Authenticator app</h3>
        <p class="muted">On: sign-ins that need a second step ask for its 6-digit code.</p>
        <form @submit=${this._onRemove}>
          ${code("Current code, to remove it")}
          <button type="submit" ?disabled=${this._busy}>Remove authenticator app</button>
        </form>
        ${alert}${status}`;
    if (this._setup)
      return html`<h3>Scan this with your authenticator app</h3>
        ${totpQr(this._setup.uri)}
        <p>Or type this key: <code data-testid="totp-key">${this._setup.secret}</code></p>
        <form @submit=${this._onConfirm}>
          ${code("The 6-digit code your app shows")}
          <button type="submit" ?disabled=${this._busy}>Turn on</button>
        </form>
        ${alert}`;
    return html`<h3>Authenticator app</h3>
      <p class="muted">A second step at sign-in: a new 6-digit code every 30 seconds from Google Authenticator, 1Password, Authy …</p>
      <button type="button" ?disabled=${this._busy} @click=${this._onSetup}>Set up an authenticator app</button>
      ${alert}${status}`;
  }

  private async _load(): Promise<void> {
    const answer = await listFactors();
    if (answer.ok) this._on = answer.value.totp;
    else this._error = answer.message;
  }

  private async _onSetup(): Promise<void> {
    this._busy = true;
    const answer = await call<{ secret: string; uri: string }>("POST", "/api/auth/totp/setup", {}, true);
    this._busy = false;
    this._error = answer.ok ? "" : answer.message;
    if (answer.ok) this._setup = answer.value;
  }

  private async _onConfirm(e: Event): Promise<void> {
    await this._withCode(e, "/api/auth/totp/confirm", "Authenticator app on.", true);
  }

  private async _onRemove(e: Event): Promise<void> {
    await this._withCode(e, "/api/auth/totp/remove", "Authenticator app removed.", false);
  }

  private async _withCode(e: Event, path: string, done: string, on: boolean): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const code = String(new FormData(form).get("code") ?? "").trim();
    this._busy = true;
    const answer = await call<object>("POST", path, { code }, true);
    this._busy = false;
    this._error = answer.ok ? "" : answer.message;
    if (!answer.ok) return;
    form.reset();
    this._setup = null;
    this._on = on;
    this._message = done;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "totp-setting": TotpSetting;
  }
}
