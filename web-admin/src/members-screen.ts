import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import "./csv-export.js";
import "./member-account.js";
import "./member-add-form.js";
import "./member-profile.js";
import "./member-search.js";
import { MemberChanges } from "./MemberChanges.js";
import { capabilities } from "./roles.js";
import { href, navigate } from "./router.js";
import { shared } from "./styles.js";
import type { MemberHit, StaffMe } from "./types.js";

/** Find a member as you type, open their profile (live: MemberChanges); owners and admins also export CSVs. */
@customElement("members-screen")
export class MembersScreen extends LitElement {
  static override styles = [
    shared,
    css`
      .top {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        flex-wrap: wrap;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(16rem, 2fr) minmax(0, 3fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 900px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @property() memberId: string | null = null;
  private _changes?: MemberChanges;

  override connectedCallback(): void {
    this._changes ??= new MemberChanges(this, this.client, this.me.gymId, () => this.memberId);
    super.connectedCallback();
  }

  override render() {
    const can = capabilities(this.me.role);
    return html`
      <div class="top">
        <h1>Members</h1>
        ${can.seeBusiness ? html`<csv-export .gymId=${this.me.gymId}></csv-export>` : ""}
        ${can.managePlans ? html`<a class="button" href=${href({ name: "import" })}>⬆ Import members, plans, bookings, classes or visits (CSV)</a>` : ""}
      </div>
      <div class="grid">
        <section class="card">
          <member-search .client=${this.client} .gymId=${this.me.gymId} @member-picked=${this._onPicked}></member-search>
        </section>
        <section class="card" aria-live="polite">
          ${
            this.memberId
              ? html`<member-profile .client=${this.client} .gymId=${this.me.gymId} .memberId=${this.memberId} .timeZone=${this.me.timeZone} .currency=${this.me.currency} .viewerRole=${this.me.role} .viewerId=${this.me.userId} .revision=${this._changes?.revision ?? 0}></member-profile>
                ${
                  can.account
                    ? html`<member-account .client=${this.client} .gymId=${this.me.gymId} .memberId=${this.memberId} .timeZone=${this.me.timeZone} .currency=${this.me.currency} ?manage=${can.managePlans} .revision=${this._changes?.revision ?? 0}></member-account>`
                    : ""
                }`
              : can.account
                ? html`<member-add-form .client=${this.client} .gymId=${this.me.gymId} @member-added=${this._onAdded}></member-add-form>`
                : html`<p class="muted">Search for a member to see their profile.</p>`
          }
        </section>
      </div>
    `;
  }

  private _onAdded(e: CustomEvent<{ memberId: string }>): void {
    navigate(href({ name: "members", id: e.detail.memberId }));
  }

  private _onPicked(e: CustomEvent<MemberHit>): void {
    navigate(href({ name: "members", id: e.detail.memberId }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "members-screen": MembersScreen;
  }
}
