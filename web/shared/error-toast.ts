import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { toasts as sharedToasts, type Toast, type ToastService } from "./toasts.js";

/**
 * Shows the current toast in a fixed corner (never pushes content); on a phone at the top, away from
 * the bottom navigation and the card buttons being tapped. Errors are announced
 * assertively, successes politely. Put one near the root of the app.
 *
 * @example
 * html`<error-toast></error-toast>`; toasts.error({ code: "CLASS_FULL", message: "This class is full" });
 */
@customElement("error-toast")
export class ErrorToast extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      right: 1rem;
      bottom: 1rem;
      z-index: 1000;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      max-width: min(28rem, calc(100vw - 2rem));
      pointer-events: none;
    }
    @media (max-width: 640px) {
      :host {
        top: 0.5rem;
        bottom: auto;
        left: 0.5rem;
        right: 0.5rem;
        max-width: none;
      }
    }
    .toast {
      pointer-events: auto;
      display: flex;
      align-items: flex-start;
      gap: 0.75rem;
      padding: 0.75rem 1rem;
      border-radius: 0.5rem;
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
      background: #fff;
      border-left: 0.35rem solid #1f5fbf;
      color: #1b1f27;
    }
    .error {
      border-left-color: #c62828;
    }
    .success {
      border-left-color: #2e7d32;
    }
    .msg {
      flex: 1;
    }
    button {
      border: 0;
      background: none;
      font: inherit;
      font-size: 1.1rem;
      cursor: pointer;
      line-height: 1;
      padding: 0.1rem 0.3rem;
    }
    button:focus-visible {
      outline: 2px solid #1f5fbf;
    }
  `;

  /** Defaults to the shared service; tests may pass their own. */
  @property({ attribute: false }) service: ToastService = sharedToasts;
  @state() private _list: readonly Toast[] = [];
  private _stop: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this._stop = this.service.subscribe((list) => (this._list = list));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stop?.();
  }

  override render() {
    const errors = this._list.filter((t) => t.kind === "error");
    const others = this._list.filter((t) => t.kind !== "error");
    return html`
      <div role="alert" aria-live="assertive">${errors.map((t) => this._toast(t))}</div>
      <div role="status" aria-live="polite">${others.map((t) => this._toast(t))}</div>
    `;
  }

  private _toast(t: Toast) {
    return html`<div class="toast ${t.kind}" data-kind=${t.kind}>
      <span class="msg">${t.message}</span>
      <button type="button" aria-label="Dismiss message" @click=${() => this._onDismiss(t.id)}>×</button>
    </div>`;
  }

  private _onDismiss(id: number): void {
    this.service.dismiss(id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "error-toast": ErrorToast;
  }
}
