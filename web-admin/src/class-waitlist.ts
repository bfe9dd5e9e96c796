import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { WaitlistLine } from "../../domain/views/classView.js";
import { shared } from "./styles.js";

/** The waitlist in position order, with "Promote" per line for staff who manage the class. */
@customElement("class-waitlist")
export class ClassWaitlist extends LitElement {
  static override styles = shared;

  @property({ attribute: false }) waitlist: Record<string, WaitlistLine> = {};
  @property({ attribute: false }) busy: ReadonlySet<string> = new Set();
  @property({ type: Boolean }) disabled = false;
  @property({ type: Boolean, attribute: "can-promote" }) canPromote = false;

  override render() {
    const lines = Object.values(this.waitlist).sort((a, b) => a.position - b.position);
    if (lines.length === 0) return html`<p class="muted">Nobody is waiting.</p>`;
    return html`<table>
      <thead>
        <tr><th>#</th><th>Member</th><th>Status</th>${this.canPromote ? html`<th><span class="sr-only">Actions</span></th>` : ""}</tr>
      </thead>
      <tbody>
        ${lines.map(
          (w) => html`<tr data-member=${w.memberId} data-position=${w.position}>
            <td>${w.position}</td>
            <td><member-chip .name=${w.name}></member-chip></td>
            <td><span class="status">${w.status === "offered" ? "Spot offered" : "Waiting"}</span></td>
            ${
              this.canPromote
                ? html`<td>
                  <button ?disabled=${this.disabled || this.busy.has(w.memberId)} @click=${() => this._onPromote(w)} aria-label="Promote ${w.name} into the class">
                    Promote
                  </button>
                </td>`
                : ""
            }
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private _onPromote(w: WaitlistLine): void {
    this.dispatchEvent(new CustomEvent("promote", { detail: { memberId: w.memberId, name: w.name }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "class-waitlist": ClassWaitlist;
  }
}
