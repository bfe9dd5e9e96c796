import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";

/** What the desk shows after a check-in attempt. */
export type DeskOutcome =
  | { kind: "idle" }
  | { kind: "pending"; label: string }
  | { kind: "accepted"; name: string; detail: string; provisional?: boolean }
  | { kind: "already"; name: string; detail: string; provisional?: boolean }
  | { kind: "waitlisted"; name: string; detail: string }
  | { kind: "denied"; name: string; reason: string; provisional?: boolean }
  | { kind: "error"; message: string };

/** The check-in result in large type: ✔ or ✘ with the reason. Fixed height, announced to screen readers. */
@customElement("desk-result")
export class DeskResult extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .box {
      min-height: 11rem;
      border-radius: 1rem;
      display: flex;
      align-items: center;
      gap: 1.5rem;
      padding: 0 2rem;
      background: #fff;
      color: #4a5160;
    }
    .icon {
      font-size: 5rem;
      line-height: 1;
      flex: none;
      width: 5rem;
      text-align: center;
    }
    .title {
      font-size: clamp(1.5rem, 3.2vw, 2.4rem);
      overflow-wrap: anywhere;
      font-weight: 800;
      line-height: 1.1;
    }
    /* A phone or a narrow tablet column: the whole name and reason, never cut off. */
    @media (max-width: 640px) {
      .box {
        gap: 0.75rem;
        padding: 1rem;
      }
      .icon {
        font-size: 3rem;
        width: 3rem;
      }
    }
    .detail {
      font-size: clamp(1.2rem, 2.2vw, 1.6rem);
      margin-top: 0.3rem;
    }
    .accepted {
      background: #dcf3e3;
      color: #14532d;
    }
    .already,
    .waitlisted {
      background: #e6eefb;
      color: #173a7a;
    }
    .provisional {
      font-size: 1.1rem;
      font-weight: 700;
      margin-top: 0.4rem;
    }
    .denied,
    .error {
      background: #fde2e1;
      color: #7f1d1d;
    }
  `;

  @property({ attribute: false }) outcome: DeskOutcome = { kind: "idle" };

  override render() {
    const o = this.outcome;
    const [icon, title, detail] =
      o.kind === "accepted"
        ? ["✔", `Welcome, ${o.name}`, o.detail]
        : o.kind === "already"
          ? ["✔", `${o.name} is already checked in`, o.detail]
          : o.kind === "waitlisted"
            ? ["⏳", `${o.name} is on the waitlist`, o.detail]
            : o.kind === "denied"
              ? ["✘", `${o.name}: not checked in`, o.reason]
              : o.kind === "error"
                ? ["!", "Check-in failed", o.message]
                : o.kind === "pending"
                  ? ["…", `Checking in ${o.label}…`, ""]
                  : ["", "Scan a code or search a name", "The result shows here."];
    // Decided on this device while offline: the server decides again when the desk is back.
    const provisional = "provisional" in o && o.provisional === true;
    return html`<div class="box ${o.kind}" role="status" aria-live="assertive" data-outcome=${o.kind} data-provisional=${provisional ? "yes" : "no"}>
      <span class="icon" aria-hidden="true">${icon}</span>
      <div>
        <div class="title">${title}</div>
        ${detail ? html`<div class="detail">${detail}</div>` : ""}
        ${provisional ? html`<div class="provisional">Provisional — decided on this device, sent when back online</div>` : ""}
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "desk-result": DeskResult;
  }
}
