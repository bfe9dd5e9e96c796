import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { call, listFactors } from "./factorApi.js";
import { settingCard } from "./settingCard.js";

/**
 * The profile's password, where the gym allows passwords (or the person already has one): set, change or remove it.
 * The server's rules decide (length, breached or predictable passwords, not built on the email or name) and its
 * refusal is shown in its words; the password itself never leaves this form except to the server.
 */
@customElement("password-setting")
export class PasswordSetting extends LitElement {
  static override styles = [
    settingCard,
    css`
    form {
      display: grid;
      gap: 0.5rem;
    }
    label {
      display: grid;
      gap: 0.25rem;
      font-weight: 600;
    }
    input {
      font: inherit;
      min-height: 2.75rem;
      padding: 0 0.75rem;
      border-radius: 0.5rem;
      border: 1px solid #98a2b3;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
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

  /** The member's gym: its sign-in options say whether passwords are allowed there. */
  @property() gymId = "";
  @state() private _allowed = false;
  @state() private _has: boolean | null = null;
  @state() private _message = "";
  @state() private _error = "";
  @state() private _busy = false;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("gymId")) void this._load();
  }

  override render() {
    if (this._has === null || (!this._allowed && !this._has)) return nothing;
    return html`<h3>Password</h3>
      <p class="muted">${this._has ? "You can sign in with your email and password." : "Sign in with your email and a password instead of a link, if you like."}</p>
      <form @submit=${this._onSet}>
        <label>${this._has ? "New password" : "Password"}
          <input name="password" type="password" autocomplete="new-password" minlength="12" maxlength="128" required />
        </label>
        <span class="muted">At least 12 characters — a few unrelated words work well.</span>
        <div class="row">
          <button type="submit" ?disabled=${this._busy}>${this._has ? "Change password" : "Set password"}</button>
          ${this._has ? html`<button type="button" ?disabled=${this._busy} @click=${this._onRemove}>Remove password</button>` : nothing}
        </div>
      </form>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${this._message ? html`<p role="status">${this._message}</p>` : nothing}`;
  }

  private async _load(): Promise<void> {
    const [factors, options] = await Promise.all([
      listFactors(),
      this.gymId
        ? call<{ passwords: boolean }>("GET", `/api/auth/sign-in-options?gym=${encodeURIComponent(this.gymId)}`)
        : Promise.resolve(null),
    ]);
    this._allowed = options?.ok === true && options.value.passwords;
    this._has = factors.ok ? factors.value.password : null;
  }

  private async _onSet(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const password = String(new FormData(form).get("password") ?? "");
    this._busy = true;
    const answer = await call<object>("POST", "/api/auth/password/set", { password }, true);
    this._busy = false;
    this._error = answer.ok ? "" : answer.message;
    if (!answer.ok) return;
    this._message = this._has ? "Password changed." : "Password set — use it next time you sign in.";
    this._has = true;
    form.reset();
  }

  private async _onRemove(): Promise<void> {
    this._busy = true;
    const answer = await call<object>("POST", "/api/auth/password/remove", {}, true);
    this._busy = false;
    this._error = answer.ok ? "" : answer.message;
    if (answer.ok) {
      this._message = "Password removed — you sign in with email links or passkeys.";
      this._has = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "password-setting": PasswordSetting;
  }
}
