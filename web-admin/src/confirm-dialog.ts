import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { shared } from "./styles.js";

/**
 * A modal confirmation (native `<dialog>`: focus trapped, Esc closes) with an optional required
 * reason. Resolves `open()` with the reason (or "") when confirmed, null when dismissed. Children (a choice to make
 * before confirming) show under the message.
 *
 * @example
 * const reason = await this.dialog.open(); if (reason !== null) cancelClass(reason);
 */
@customElement("confirm-dialog")
export class ConfirmDialog extends LitElement {
  static override styles = [
    shared,
    css`
      dialog {
        border: 0;
        border-radius: 0.75rem;
        padding: 1.25rem;
        width: min(28rem, calc(100vw - 2rem));
        box-shadow: 0 10px 40px rgb(0 0 0 / 0.3);
      }
      form {
        display: grid;
        gap: 0.9rem;
      }
      textarea {
        min-height: 4rem;
      }
      .actions {
        justify-content: flex-end;
      }
    `,
  ];

  @property() heading = "Are you sure?";
  @property() message = "";
  @property() confirmLabel = "Confirm";
  /** When set, a reason is required and labelled with this text. */
  @property() reasonLabel = "";
  @state() private _reason = "";
  @query("dialog") private _dialog!: HTMLDialogElement;
  private _resolve: ((v: string | null) => void) | null = null;

  /** Opens the dialog (optionally with this heading and message); resolves with the reason ("" without one) or null when kept. */
  open(heading?: string, message?: string): Promise<string | null> {
    if (heading !== undefined) this.heading = heading;
    if (message !== undefined) this.message = message;
    this._reason = "";
    this._dialog.showModal();
    return new Promise((resolve) => (this._resolve = resolve));
  }

  override render() {
    const missing = this.reasonLabel !== "" && this._reason.trim() === "";
    return html`<dialog aria-labelledby="h" @close=${this._onClose}>
      <form method="dialog" @submit=${this._onSubmit}>
        <h2 id="h">${this.heading}</h2>
        ${this.message ? html`<p>${this.message}</p>` : nothing}
        <slot></slot>
        ${
          this.reasonLabel
            ? html`<label>${this.reasonLabel}<textarea required .value=${this._reason} @input=${this._onInput}></textarea></label>`
            : nothing
        }
        <div class="row actions">
          <button type="button" @click=${this._onCancel}>Keep it</button>
          <button type="submit" class="primary danger-confirm" ?disabled=${missing}>${this.confirmLabel}</button>
        </div>
      </form>
    </dialog>`;
  }

  private _onInput(e: Event): void {
    this._reason = (e.target as HTMLTextAreaElement).value;
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    this._settle(this._reason.trim());
    this._dialog.close();
  }

  private _onCancel(): void {
    this._dialog.close();
  }

  private _onClose(): void {
    this._settle(null);
  }

  private _settle(v: string | null): void {
    this._resolve?.(v);
    this._resolve = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "confirm-dialog": ConfirmDialog;
  }
}
