import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import "./plan-form.js";
import { capabilities } from "./roles.js";
import { listAndPanel, shared } from "./styles.js";
import type { PlanLine, StaffMe } from "./types.js";
import { formatMoney } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";

/** What a plan allows, in words ("10 classes, valid 90 days"). */
export function planTerms(p: PlanLine): string {
  const e = p.entitlement;
  if (e.kind === "unlimited") return p.kind === "trial" ? "Unlimited classes (trial)" : "Unlimited classes";
  if (e.kind === "weekly") return `${e.classesPerWeek} class${e.classesPerWeek === 1 ? "" : "es"} a week`;
  return `${e.credits} class${e.credits === 1 ? "" : "es"}, valid ${e.validDays} day${e.validDays === 1 ? "" : "s"}`;
}

/** The gym's plans: everyone on staff sees them; owners and admins create and edit them. */
@customElement("plans-screen")
export class PlansScreen extends LitElement {
  static override styles = [
    shared,
    listAndPanel,
    css`
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.75rem;
        flex-wrap: wrap;
        border: 1px solid #e3e6ec;
        border-radius: 0.5rem;
        padding: 0.6rem 0.75rem;
      }
      li.archived {
        opacity: 0.6;
      }
      button {
        min-height: 2.5rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _plans: PlanLine[] | null = null;
  @state() private _editing: PlanLine | null = null;
  @state() private _error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const manage = capabilities(this.me.role).managePlans;
    return html`<h1>Plans</h1>
      <div class="grid">
        <section class="card" aria-label="Plans">
          ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
          ${
            this._plans === null
              ? html`<p role="status">Loading plans…</p>`
              : this._plans.length === 0
                ? html`<p class="muted">No plans yet.</p>`
                : html`<ul>
                  ${this._plans.map(
                    (p) => html`<li class=${p.archived ? "archived" : ""}>
                      <span><strong>${p.name}</strong>${p.archived ? " (archived)" : ""}<br /><span class="muted">${planTerms(p)} · ${formatMoney(p.priceCents, this.me.currency)}${p.billingPeriod === "once" ? "" : ` / ${p.billingPeriod}`}</span></span>
                      ${manage ? html`<button @click=${() => (this._editing = p)} aria-label="Edit ${p.name}">Edit</button>` : nothing}
                    </li>`,
                  )}
                </ul>`
          }
        </section>
        ${
          manage
            ? html`<section class="card">
              <plan-form .client=${this.client} .gymId=${this.me.gymId} .currency=${this.me.currency} .plan=${this._editing} @plan-saved=${this._onSaved}></plan-form>
              ${this._editing ? html`<button @click=${() => (this._editing = null)}>New plan instead</button>` : nothing}
            </section>`
            : nothing
        }
      </div>`;
  }

  private _onSaved(): void {
    this._editing = null;
    void this._load();
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<{ plans: PlanLine[] }>(`gym:${this.me.gymId}`, "gym:plans", {});
    if (ack.ok) this._plans = ack.result.plans;
    else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plans-screen": PlansScreen;
  }
}
