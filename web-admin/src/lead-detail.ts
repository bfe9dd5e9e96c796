import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { TouchKinds, type LeadLine, type TouchKind } from "../../domain/leads/pipeline.js";
import { formatWhen } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./lead-edit-form.js";
import { href } from "./router.js";
import { shared } from "./styles.js";

interface LeadDetail {
  lead: LeadLine;
  touches: { touchId: string; at: number; kind: TouchKind; note: string; actorName: string | null }[];
}

const TouchLabels: Record<string, string> = {
  call: "Call",
  email: "Email",
  text: "Text",
  visit: "Visit",
  note: "Note",
  stage: "Stage",
  trial: "Trial",
  tour: "Tour",
  converted: "Converted",
  created: "Added",
};

/** One lead: details (editable), the timeline of touches (newest first), "log a touch", and "convert to member". Fires `close`. */
@customElement("lead-detail")
export class LeadDetailPanel extends LitElement {
  static override styles = [
    shared,
    css`
      ol {
        list-style: none;
        padding: 0;
      }
      li {
        border-left: 3px solid #c5cfe0;
        padding: 0.2rem 0.6rem;
        margin-bottom: 0.4rem;
      }
      form {
        display: grid;
        gap: 0.4rem;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: start;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() leadId = "";
  @property() timeZone = "UTC";
  /** Who is looking (the edit form's "Me" as owner). */
  @property({ attribute: false }) me: { userId: string; name: string } | null = null;
  /** The board's `updatedAt` of this lead: a change (from anywhere) reloads the timeline. */
  @property({ type: Number }) version = 0;
  @state() private _detail: LeadDetail | null = null;
  @state() private _error = "";

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("leadId") || changed.has("version")) void this._load();
  }

  private async _load(): Promise<void> {
    const res = await this.client.command<LeadDetail | null>(`gym:${this.gymId}`, "gym:lead", { leadId: this.leadId });
    if (!res.ok) this._error = errorMessage(res.error);
    else this._detail = res.result;
  }

  override render() {
    const d = this._detail;
    if (!d) return html`<p class="muted">${this._error || "Loading…"}</p>`;
    const l = d.lead;
    return html`<div class="head">
        <h2>${l.name}</h2>
        <button @click=${() => this.dispatchEvent(new CustomEvent("close"))} aria-label="Close">✕</button>
      </div>
      <p class="muted">${[l.email, l.phone, l.interest].filter(Boolean).join(" · ")}</p>
      ${
        l.stage === "member" && l.memberId
          ? html`<p><a href=${href({ name: "members", id: l.memberId })}>Open member profile</a></p>`
          : html`<p><button class="primary" @click=${this._onConvert}>Convert to member</button></p>`
      }
      ${this.me ? html`<details><summary>Edit details</summary><lead-edit-form .client=${this.client} .gymId=${this.gymId} .lead=${l} .me=${this.me} @lead-saved=${() => void this._load()}></lead-edit-form></details>` : nothing}
      <form @submit=${this._onTouch} aria-label="Log a touch">
        <label
          >Touch
          <select name="kind">
            ${TouchKinds.map((k) => html`<option value=${k}>${TouchLabels[k]}</option>`)}
          </select></label
        >
        <label>What happened <textarea name="note" required maxlength="2000" rows="2"></textarea></label>
        <label>Next follow-up <input name="followUpOn" type="date" .value=${l.followUpOn ?? ""} /></label>
        <button type="submit">Log touch</button>
      </form>
      <h3>Timeline</h3>
      <ol aria-label="Timeline">
        ${d.touches.map(
          (t) =>
            html`<li><strong>${TouchLabels[t.kind] ?? t.kind}</strong> · <span class="muted">${formatWhen(t.at, this.timeZone)}${t.actorName ? ` · ${t.actorName}` : ""}</span><br />${t.note}</li>`,
        )}
      </ol>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}`;
  }

  private async _onTouch(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const followUpOn = String(data.get("followUpOn") ?? "");
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:touchLead", {
      leadId: this.leadId,
      kind: String(data.get("kind")),
      note: String(data.get("note") ?? "").trim(),
      followUpOn: followUpOn || null,
    });
    if (!toasts.fromAck(ack, "Logged.") || !ack.ok) return;
    (form.querySelector("textarea") as HTMLTextAreaElement).value = "";
    await this._load();
  }

  private async _onConvert(): Promise<void> {
    const ack = await this.client.command<{ memberId: string }>(`gym:${this.gymId}`, "gym:convertLead", { leadId: this.leadId });
    if (!toasts.fromAck(ack, `${this._detail?.lead.name ?? "The lead"} is a member now.`)) return;
    await this._load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "lead-detail": LeadDetailPanel;
  }
}
