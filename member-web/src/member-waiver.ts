import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { errorMessage } from "../../domain/client/index.js";
import { toasts } from "../../web/shared/toasts.js";
import type { Send } from "./types.js";

/** One version as `gym:waiver` answers it. */
interface WaiverVersion {
  waiverId: string;
  version: string;
  title: string;
  text: string;
  effectiveOn: string;
  textHash: string;
  signedAt: number | null;
}

/** One policy document for me: its version in force and the next, and what its version in force requires. */
interface MyDocument {
  document: string;
  title: string;
  required: "off" | "check_in" | "booking";
  current: WaiverVersion | null;
  upcoming: WaiverVersion | null;
}
interface MyWaiver extends Omit<MyDocument, "document" | "title"> {
  /** Every document of the gym, the liability waiver first (absent from servers before there were several). */
  documents?: MyDocument[];
}

/** The documents a `gym:waiver` answer lists. */
export const documentsOf = (w: MyWaiver): MyDocument[] => w.documents ?? [{ document: "waiver", title: w.current?.title ?? "", ...w }];

/** How many versions in force I still have to sign. */
export const toSign = (w: MyWaiver): number => documentsOf(w).filter((d) => d.current && d.current.signedAt === null).length;

const Required: Record<MyWaiver["required"], string> = {
  off: "",
  check_in: "The gym needs your signature before you check in.",
  booking: "The gym needs your signature before you book or check in.",
};

/**
 * The gym's waiver and other policies (docs/domain.md "Policies"): read each, type your full name, tick the box, sign.
 * The signature is kept as evidence (version, the text's fingerprint, time, this device) and can't be changed.
 */
@customElement("member-waiver")
export class MemberWaiver extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    article {
      background: var(--card, #fff);
      border-radius: 0.75rem;
      padding: 0.9rem;
      box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
      margin-bottom: 1rem;
    }
    .text {
      white-space: pre-wrap;
      max-height: 50vh;
      overflow: auto;
      border: 1px solid #dde2e7;
      border-radius: 0.5rem;
      padding: 0.75rem;
      line-height: 1.45;
    }
    form {
      display: grid;
      gap: 0.75rem;
      margin-top: 0.9rem;
    }
    label {
      display: grid;
      gap: 0.25rem;
    }
    .agree {
      display: flex;
      gap: 0.6rem;
      align-items: center;
    }
    input[type="text"] {
      min-height: 2.75rem;
      font: inherit;
      padding: 0 0.6rem;
      border: 1px solid #c4cad2;
      border-radius: 0.5rem;
    }
    input[type="checkbox"] {
      width: 1.6rem;
      height: 1.6rem;
      accent-color: var(--accent, #127a52);
    }
    button {
      min-height: 2.75rem;
      border-radius: 0.6rem;
      border: none;
      background: var(--accent, #127a52);
      color: #fff;
      font: inherit;
      font-weight: 700;
    }
    button:disabled {
      opacity: 0.5;
    }
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    .muted {
      color: var(--muted, #5b6470);
      font-size: 0.9rem;
    }
    .signed {
      color: var(--accent-ink, #0b5a3c);
      font-weight: 700;
    }
    .error {
      color: var(--danger, #b42318);
    }
  `;

  @property({ attribute: false }) send: Send | undefined;
  @property() gymId = "";
  @property({ type: Boolean }) online = false;
  /** Moves when the gym publishes a policy version or one takes effect (my gym room's `policies`): the documents are read again. */
  @property() policyKey = "";
  @state() private _waiver: MyWaiver | null = null;
  @state() private _error = "";
  @state() private _busy = false;

  protected override willUpdate(changed: PropertyValues<this>) {
    const published = changed.has("policyKey") && !!changed.get("policyKey");
    if ((published || changed.has("online") || changed.has("gymId") || changed.has("send")) && this.online && this.send && this.gymId)
      void this._load();
  }

  override render() {
    const w = this._waiver;
    if (!w)
      return html`<p class=${this._error ? "error" : ""} role="status">${this._error || (this.online ? "Loading…" : "Offline — reconnecting…")}</p>`;
    const documents = documentsOf(w).filter((d) => d.current || d.upcoming);
    if (documents.length === 0) return html`<h2>Waiver</h2><p class="muted">Your gym hasn't published a waiver.</p>`;
    return html`<h2>${documents.length > 1 ? "Policies" : "Waiver"}</h2>
      ${documents.map(
        (d) => html`<section data-document=${d.document}>
          ${Required[d.required] && d.current && d.current.signedAt === null ? html`<p role="note">${documents.length > 1 ? `${d.title}: ` : ""}${Required[d.required]}</p>` : nothing}
          ${d.current ? this._renderVersion(d.current, false) : nothing} ${d.upcoming ? this._renderVersion(d.upcoming, true) : nothing}
        </section>`,
      )}`;
  }

  private _renderVersion(v: WaiverVersion, upcoming: boolean) {
    return html`<article data-version=${v.version} aria-labelledby=${`w-${v.waiverId}`}>
      <h3 id=${`w-${v.waiverId}`}>${v.title}</h3>
      <p class="muted">Version ${v.version} · ${upcoming ? `applies from ${v.effectiveOn}` : `in force since ${v.effectiveOn}`}</p>
      <div class="text" role="region" tabindex="0" aria-label=${`${v.title} text, version ${v.version}`}>${v.text}</div>
      ${
        v.signedAt !== null
          ? html`<p class="signed" data-testid="signed">✔ You signed this version on ${new Date(v.signedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}.</p>`
          : html`<form @submit=${(e: Event) => this._onSign(e, v)} aria-label=${`Sign version ${v.version}`}>
            <label>Type your full name to sign <input type="text" name="typedName" required maxlength="200" autocomplete="name" ?disabled=${!this.online || this._busy} /></label>
            <label class="agree"><input type="checkbox" name="agree" required ?disabled=${!this.online || this._busy} /> I have read and agree to this waiver</label>
            <button type="submit" ?disabled=${!this.online || this._busy}>Sign</button>
          </form>`
      }
    </article>`;
  }

  private async _onSign(e: Event, v: WaiverVersion) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    if (!this.send || !this.gymId || data.get("agree") !== "on") return;
    this._busy = true;
    const ack = await this.send<{ signedAt: number }>(`gym:${this.gymId}`, "gym:signWaiver", {
      version: v.version,
      typedName: String(data.get("typedName") ?? ""),
      agree: true,
    });
    this._busy = false;
    if (!ack.ok) return void toasts.error(ack.error);
    toasts.success("Signed — thank you.");
    await this._load();
  }

  private async _load() {
    if (!this.send || !this.gymId) return;
    const ack = await this.send<MyWaiver>(`gym:${this.gymId}`, "gym:waiver", {});
    if (ack.ok) {
      this._waiver = ack.result;
      this._error = "";
    } else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-waiver": MemberWaiver;
  }
}
