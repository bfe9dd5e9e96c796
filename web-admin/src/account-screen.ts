import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import "../../web/shared/passkey-list.js";
import "../../web/shared/password-setting.js";
import "../../web/shared/totp-setting.js";
import { shared } from "./styles.js";
import type { StaffMe } from "./types.js";

/** The signed-in staff member's own sign-in: passkeys, an authenticator app (the staff second factor), a password where allowed. */
@customElement("account-screen")
export class AccountScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .stack {
        max-width: 36rem;
      }
      passkey-list,
      totp-setting,
      password-setting {
        box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
      }
    `,
  ];

  @property({ attribute: false }) me!: StaffMe;

  override render() {
    return html`<h1>My sign-in</h1>
      <div class="stack">
        <p class="muted">How you, ${this.me.name}, sign in to Spotter. Your gym may ask staff for a second step: a passkey or an authenticator app.</p>
        <passkey-list></passkey-list>
        <totp-setting></totp-setting>
        <password-setting .gymId=${this.me.gymId}></password-setting>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "account-screen": AccountScreen;
  }
}
