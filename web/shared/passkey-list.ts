import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { addPasskey, listFactors, passkeyProblem, removePasskey, type PasskeyInfo } from "./factorApi.js";
import { settingCard } from "./settingCard.js";

/** The profile's passkeys: each with when it was added and last used, "Add a passkey", and "Remove". */
@customElement("passkey-list")
export class PasskeyList extends LitElement {
  static override styles = [
    settingCard,
    css`
    ul {
      list-style: none;
      padding: 0;
      margin: 0 0 0.75rem;
    }
    li {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 0.5rem;
      padding: 0.4rem 0;
      border-bottom: 1px solid #e4e7eb;
    }
    .muted {
      color: var(--muted, #5b6470);
      font-size: 0.85rem;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    .error {
      color: var(--danger, #b42318);
      font-weight: 600;
    }
  `,
  ];

  @state() private _passkeys: PasskeyInfo[] | null = null;
  @state() private _message = "";
  @state() private _busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const problem = passkeyProblem();
    return html`<h3>Passkeys</h3>
      <p class="muted">Sign in with Face ID, a fingerprint or your phone's screen lock instead of an email link.</p>
      ${
        this._passkeys === null
          ? html`<p role="status">Loading…</p>`
          : this._passkeys.length === 0
            ? html`<p data-testid="no-passkeys">No passkeys yet.</p>`
            : html`<ul aria-label="Your passkeys">
              ${this._passkeys.map(
                (p) => html`<li>
                  <span><strong>${p.name}</strong><br /><span class="muted">added ${day(p.createdAt)} · ${p.lastUsedAt ? `last used ${day(p.lastUsedAt)}` : "not used yet"}</span></span>
                  <button type="button" aria-label=${`Remove passkey ${p.name}`} ?disabled=${this._busy} @click=${() => this._onRemove(p)}>Remove</button>
                </li>`,
              )}
            </ul>`
      }
      ${
        problem
          ? html`<p class="muted">${problem}</p>`
          : html`<button type="button" ?disabled=${this._busy} @click=${this._onAdd}>Add a passkey</button>`
      }
      ${this._message ? html`<p class="error" role="alert">${this._message}</p>` : ""}`;
  }

  private async _load() {
    const answer = await listFactors();
    if (answer.ok) this._passkeys = answer.value.passkeys;
    else this._message = answer.message;
  }

  private async _onAdd() {
    this._busy = true;
    this._message = "";
    const answer = await addPasskey(deviceName());
    this._busy = false;
    if (!answer.ok) this._message = answer.message;
    await this._load();
  }

  private async _onRemove(p: PasskeyInfo) {
    this._busy = true;
    const answer = await removePasskey(p.id);
    this._busy = false;
    if (!answer.ok) this._message = answer.message;
    await this._load();
  }
}

const day = (ms: number) => new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });

/** A name the member recognises later: the platform the passkey was made on. */
function deviceName(): string {
  const ua = navigator.userAgent;
  if (/iPhone|iPad/.test(ua)) return "iPhone or iPad";
  if (/Android/.test(ua)) return "Android phone";
  if (/Mac OS X/.test(ua)) return "Mac";
  if (/Windows/.test(ua)) return "Windows PC";
  if (/Linux/.test(ua)) return "Linux computer";
  return "This device";
}

declare global {
  interface HTMLElementTagNameMap {
    "passkey-list": PasskeyList;
  }
}
