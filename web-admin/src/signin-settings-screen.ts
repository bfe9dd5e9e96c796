import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { call } from "../../web/shared/factorApi.js";
import { toasts } from "../../web/shared/toasts.js";
import "./confirm-dialog.js";
import type { ConfirmDialog } from "./confirm-dialog.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";

interface SignInSettings {
  policy: { passwordsAllowed: boolean; staffSecondFactor: boolean; selfSignUp: boolean };
  provider: { issuer: string; clientId: string; displayName: string; hasClientSecret: boolean } | null;
  callbackUrl: string;
}

/**
 * Owners decide how people sign in to their gym: passwords on or off, a second step for staff, and single sign-on
 * through the gym's own identity provider (OpenID Connect). Over `GET /api/auth/sign-in-settings` and
 * `POST /api/gyms/<id>/sign-in-policy|identity-provider`; every change lands in the audit trail.
 */
@customElement("signin-settings-screen")
export class SigninSettingsScreen extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.75rem;
        margin-bottom: 1.25rem;
      }
      .check {
        display: flex;
        gap: 0.6rem;
        align-items: flex-start;
        font-size: 0.95rem;
      }
      .check input {
        width: 1.25rem;
        height: 1.25rem;
        margin-top: 0.1rem;
        flex: none;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0.5rem 1rem;
      }
      input,
      button {
        min-height: 2.5rem;
      }
      code {
        word-break: break-all;
      }
      .error {
        color: #9b1c1c;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) me!: StaffMe;
  @state() private _settings: SignInSettings | null = null;
  @state() private _error = "";
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;
  @query("confirm-dialog") private _confirm!: ConfirmDialog;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    if (this._error) return html`<h1>Sign-in</h1><p role="alert" class="error">${this._error}</p>`;
    const s = this._settings;
    if (!s) return html`<p role="status">Loading sign-in settings…</p>`;
    const p = s.provider;
    const field = (name: string) => (this._fields[name] ? html`<span role="alert" class="error">${this._fields[name]}</span>` : nothing);
    return html`<h1>Sign-in</h1>
      <form class="card" aria-labelledby="policy-h" @submit=${this._onPolicy}>
        <h2 id="policy-h">How people sign in</h2>
        <p class="muted">Everyone can sign in with an email link or code, and with a passkey once they've added one.</p>
        <label class="check"><input type="checkbox" name="passwordsAllowed" ?checked=${s.policy.passwordsAllowed} />
          <span>Allow passwords (at least 12 characters, checked against common and leaked passwords)</span></label>
        <label class="check"><input type="checkbox" name="staffSecondFactor" ?checked=${s.policy.staffSecondFactor} />
          <span>Staff need a second step: a code from an authenticator app or their passkey. Staff without one set it up at their next sign-in.</span></label>
        <label class="check"><input type="checkbox" name="selfSignUp" ?checked=${s.policy.selfSignUp} />
          <span>New members can sign themselves up in the app (they confirm their email address first)</span></label>
        <p><button class="primary" type="submit" ?disabled=${this._busy}>Save sign-in rules</button></p>
      </form>
      <form class="card" aria-labelledby="sso-h" @submit=${this._onProvider}>
        <h2 id="sso-h">Single sign-on</h2>
        <p class="muted">
          ${p ? html`Members and staff can sign in with <strong>${p.displayName}</strong>.` : "Let people sign in with your organisation's account (OpenID Connect)."}
          Register this address at your provider as the redirect URI: <code data-testid="callback-url">${s.callbackUrl}</code>
        </p>
        <div class="fields">
          <label>Button label (your provider's name)<input name="displayName" required maxlength="100" .value=${p?.displayName ?? ""} />${field("provider.displayName")}</label>
          <label>Issuer URL<input name="issuer" type="url" required maxlength="500" placeholder="https://login.example.com" .value=${p?.issuer ?? ""} />${field("provider.issuer")}</label>
          <label>Client ID<input name="clientId" required maxlength="200" autocomplete="off" .value=${p?.clientId ?? ""} />${field("provider.clientId")}</label>
          <label>Client secret
            <input name="clientSecret" type="password" maxlength="500" autocomplete="new-password"
              placeholder=${p?.hasClientSecret ? "Stored — leave empty to keep it" : "Empty for a public client"} />${field("provider.clientSecret")}</label>
        </div>
        <p class="row">
          <button class="primary" type="submit" ?disabled=${this._busy}>${p ? "Save single sign-on" : "Turn on single sign-on"}</button>
          ${p ? html`<button class="danger" type="button" ?disabled=${this._busy} @click=${this._onRemove}>Turn off single sign-on</button>` : nothing}
        </p>
      </form>
      <confirm-dialog heading="Turn off single sign-on?" message="People who sign in with your provider will use email links or passkeys instead. The client secret is deleted." confirmLabel="Turn off"></confirm-dialog>`;
  }

  private get _base() {
    return `/api/gyms/${this.me.gymId}`;
  }

  private async _load(): Promise<void> {
    const answer = await call<SignInSettings>("GET", `/api/auth/sign-in-settings?gym=${this.me.gymId}`, undefined, true);
    if (answer.ok) this._settings = answer.value;
    else this._error = answer.message;
  }

  private async _onPolicy(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const checked = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).checked;
    const policy = {
      passwordsAllowed: checked("passwordsAllowed"),
      staffSecondFactor: checked("staffSecondFactor"),
      selfSignUp: checked("selfSignUp"),
    };
    this._busy = true;
    const answer = await call<{ after: SignInSettings["policy"] }>("POST", `${this._base}/sign-in-policy`, policy, true);
    this._busy = false;
    if (!answer.ok) return void toasts.error(answer.message);
    this._settings = { ...this._settings!, policy: answer.value.after };
    toasts.success("Sign-in rules saved — they apply from the next sign-in.");
  }

  private async _onProvider(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement; // read now: a shadow tree's event loses its target once dispatched
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? "").trim();
    const secret = text("clientSecret");
    const provider = {
      displayName: text("displayName"),
      issuer: text("issuer"),
      clientId: text("clientId"),
      // Empty keeps a stored secret; with none stored, the provider treats Spotter as a public client.
      ...(secret ? { clientSecret: secret } : this._settings?.provider?.hasClientSecret ? {} : { clientSecret: null }),
    };
    await this._saveProvider(provider, `Single sign-on with ${provider.displayName} is on.`);
    form.querySelector<HTMLInputElement>("input[name=clientSecret]")!.value = "";
  }

  private async _onRemove(): Promise<void> {
    if ((await this._confirm.open()) === null) return;
    await this._saveProvider(null, "Single sign-on is off.");
  }

  private async _saveProvider(provider: object | null, done: string): Promise<void> {
    this._busy = true;
    const answer = await call<{ singleSignOn: { name: string } | null }>("POST", `${this._base}/identity-provider`, { provider }, true);
    this._busy = false;
    this._fields = answer.ok ? {} : (answer.fields ?? {});
    if (!answer.ok) return void toasts.error(answer.message);
    toasts.success(done);
    await this._load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "signin-settings-screen": SigninSettingsScreen;
  }
}
