import { LitElement, css, html } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { formatDuration, formatMoney, relativeWhen } from "./format.js";

/** What the member must know before a late cancel. */
export interface LateCancelInfo {
  className: string;
  startsAt: number;
  lateCancelAt: number;
  feeCents: number;
  currency: string;
  timeZone: string;
  now: number;
}

/** Asks the member to confirm a late cancel: the fee and the cut-off they passed. */
@customElement("late-cancel-dialog")
export class LateCancelDialog extends LitElement {
  static override styles = css`
    dialog {
      border: none;
      border-radius: 1rem;
      padding: 1.25rem;
      max-width: min(26rem, calc(100vw - 2rem));
      box-shadow: 0 10px 40px rgb(0 0 0 / 0.3);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1.2rem;
    }
    .fee {
      font-size: 1.1rem;
      font-weight: 700;
      color: var(--warn, #a14400);
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      justify-content: flex-end;
      margin-top: 1rem;
    }
    button {
      min-height: 2.75rem;
      padding: 0 1rem;
      border-radius: 0.6rem;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
      border: 1px solid var(--accent, #127a52);
      background: #fff;
      color: var(--accent-ink, #0b5a3c);
    }
    button.danger {
      background: var(--danger, #b42318);
      border-color: var(--danger, #b42318);
      color: #fff;
    }
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
  `;

  @state() private _info: LateCancelInfo | null = null;
  @query("dialog") private _dialog!: HTMLDialogElement;
  private _resolve: ((ok: boolean) => void) | null = null;

  /** Opens the dialog; resolves true only when the member confirms the cancel with the fee. */
  async confirm(info: LateCancelInfo): Promise<boolean> {
    this._resolve?.(false);
    this._info = info;
    await this.updateComplete;
    this._dialog.showModal();
    return new Promise((resolve) => (this._resolve = resolve));
  }

  override render() {
    const i = this._info;
    if (!i) return html`<dialog></dialog>`;
    const fee = formatMoney(i.feeCents, i.currency);
    return html`<dialog aria-labelledby="late-title" aria-describedby="late-body" @close=${this._onClose}>
      <h2 id="late-title">Late cancel</h2>
      <div id="late-body">
        <p>${i.className}, ${relativeWhen(i.startsAt, i.timeZone, i.now)}.</p>
        <p class="fee">A ${fee} late-cancel fee applies.</p>
        <p>
          Free cancelling ended ${relativeWhen(i.lateCancelAt, i.timeZone, i.now)}
          (${formatDuration(i.startsAt - i.lateCancelAt)} before class). Keep your spot to avoid the fee.
        </p>
      </div>
      <div class="buttons">
        <button autofocus @click=${this._onKeep}>Keep my spot</button>
        <button class="danger" @click=${this._onConfirm}>Cancel and pay ${fee}</button>
      </div>
    </dialog>`;
  }

  private _onKeep() {
    this._settle(false);
  }

  private _onConfirm() {
    this._settle(true);
  }

  private _onClose() {
    this._settle(false);
  }

  private _settle(ok: boolean) {
    const resolve = this._resolve;
    this._resolve = null;
    if (this._dialog.open) this._dialog.close();
    resolve?.(ok);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "late-cancel-dialog": LateCancelDialog;
  }
}
