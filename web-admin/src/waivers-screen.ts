import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { href } from "./router.js";
import { capabilities } from "./roles.js";
import { listAndPanel, shared } from "./styles.js";
import type { StaffMe } from "./types.js";

/** `gym:waiverStatus` as the screen reads it. */
export interface WaiverStatus {
  required: "off" | "check_in" | "booking";
  current: {
    waiverId: string;
    version: string;
    title: string;
    text: string;
    effectiveOn: string;
    textHash: string;
    inForce: boolean;
  } | null;
  versions: { waiverId: string; version: string; title: string; effectiveOn: string; publishedAt: number }[];
  unsignedTotal: number;
  unsigned: { memberId: string; name: string; email: string; status: string }[];
  /** Every policy document (the liability waiver first); absent from servers before there were several. */
  documents?: {
    document: string;
    title: string;
    required: WaiverStatus["required"];
    current: { version: string; effectiveOn: string; inForce: boolean };
    unsignedTotal: number;
  }[];
}

const Enforcement: Record<WaiverStatus["required"], string> = {
  off: "Not enforced — signatures are collected, nobody is refused.",
  check_in: "Required to check in: the desk refuses until it is signed.",
  booking: "Required to book and to check in.",
};

/**
 * Waivers (docs/domain.md "Policies and waivers"): the version in force, who hasn't signed it, and — for owners and
 * admins — publishing a new version (members who signed an older one sign again once it applies).
 */
@customElement("waivers-screen")
export class WaiversScreen extends LitElement {
  static override styles = [
    shared,
    listAndPanel,
    css`
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.35rem;
      }
      li {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        flex-wrap: wrap;
        border-bottom: 1px solid #e3e6ec;
        padding: 0.35rem 0;
      }
      input,
      textarea,
      button {
        width: 100%;
        box-sizing: border-box;
        min-height: 2.5rem;
      }
      /* After the rule above: a waiver's text needs room to read while it is written. */
      textarea {
        min-height: 10rem;
        font: inherit;
      }
      form {
        display: grid;
        gap: 0.6rem;
      }
      .text {
        white-space: pre-wrap;
        max-height: 12rem;
        overflow: auto;
        background: #f6f7f9;
        padding: 0.6rem;
        border-radius: 0.4rem;
        margin-bottom: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _status: WaiverStatus | null = null;
  @state() private _error = "";
  @state() private _fields: Record<string, string> = {};
  @state() private _reminding = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    const s = this._status;
    const manage = capabilities(this.me.role).managePlans;
    return html`<h1>Waivers</h1>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      <div class="grid">
        <section class="card" aria-labelledby="current-h">
          <h2 id="current-h">${s?.current ? `${s.current.title} · version ${s.current.version}` : "No waiver published yet"}</h2>
          ${
            s === null
              ? html`<p role="status">Loading…</p>`
              : html`<p class="muted" data-testid="enforcement">${Enforcement[s.required]}${manage ? html` <a href=${href({ name: "settings" })}>Change in Settings</a>` : nothing}</p>
                ${
                  s.current
                    ? html`<p class="muted">${s.current.inForce ? "In force since" : "Applies from"} ${s.current.effectiveOn}</p>
                      <div class="text" role="region" tabindex="0" aria-label=${`Waiver text, version ${s.current.version}`}>${s.current.text}</div>
                      <h3 id="unsigned-h">Not signed yet: <span data-testid="unsigned-total">${s.unsignedTotal}</span></h3>
                      ${
                        s.unsigned.length === 0
                          ? html`<p class="muted">Every member has signed it.</p>`
                          : html`<ul aria-labelledby="unsigned-h">
                            ${s.unsigned.map(
                              (m) => html`<li data-member=${m.memberId}>
                                <a href=${href({ name: "members", id: m.memberId })}>${m.name}</a><span class="muted">${m.email}</span>
                              </li>`,
                            )}
                          </ul>
                          ${s.unsignedTotal > s.unsigned.length ? html`<p class="muted">And ${s.unsignedTotal - s.unsigned.length} more.</p>` : nothing}
                          ${
                            s.current.inForce
                              ? html`<button type="button" @click=${this._onRemind} ?disabled=${this._reminding}>Remind everyone who hasn't signed</button>
                                <p class="muted">Each gets a message in the app; nobody is reminded twice in a day.</p>`
                              : nothing
                          }`
                      }`
                    : html`<p class="muted">${manage ? "Publish the gym's waiver to collect signatures in the member app." : "Owners and admins publish the waiver."}</p>`
                }`
          }
        </section>
        ${this._renderOthers()} ${manage ? this._renderPublish() : nothing}
      </div>`;
  }

  /** The gym's other policy documents (house rules…): each version in force, what it requires, who hasn't signed. */
  private _renderOthers() {
    const others = (this._status?.documents ?? []).filter((d) => d.document !== "waiver");
    if (others.length === 0) return nothing;
    return html`<section class="card" aria-labelledby="others-h">
      <h2 id="others-h">Other policies</h2>
      <ul>
        ${others.map(
          (d) => html`<li data-document=${d.document}>
            <strong>${d.title} · version ${d.current.version}</strong>
            <span class="muted">${d.current.inForce ? "In force since" : "Applies from"} ${d.current.effectiveOn}. ${Enforcement[d.required]}</span>
            <span>Not signed yet: ${d.unsignedTotal}</span>
            ${
              d.unsignedTotal > 0 && d.current.inForce
                ? html`<button type="button" @click=${() => this._onRemind(d.document)} ?disabled=${this._reminding}>Remind them</button>`
                : nothing
            }
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private async _onRemind(document?: string): Promise<void> {
    this._reminding = true;
    const ack = await this.client.command<{ reminded: number; skipped: number }>(
      `gym:${this.me.gymId}`,
      "gym:remindWaiver",
      typeof document === "string" ? { document } : {},
    );
    this._reminding = false;
    if (ack.ok)
      toasts.success(`${ack.result.reminded} reminded${ack.result.skipped ? `; ${ack.result.skipped} already reminded today` : ""}.`);
    else toasts.error(ack.error);
  }

  private _renderPublish() {
    const err = (k: string) => (this._fields[k] ? html`<span role="alert" class="muted">${this._fields[k]}</span>` : nothing);
    return html`<section class="card" aria-labelledby="publish-h">
      <h2 id="publish-h">Publish a new version</h2>
      <p class="muted">
        A published version never changes. Members who signed an earlier version of the same document sign again once this one
        applies. A new document name (e.g. house-rules) starts another policy with its own versions.
      </p>
      <form @submit=${this._onPublish} aria-label="Publish a waiver version">
        <label>Document <input name="document" required maxlength="40" value="waiver" />${err("document")}</label>
        <label>Title <input name="title" required maxlength="200" .value=${this._status?.current?.title ?? "Liability waiver"} />${err("title")}</label>
        <label>Version <input name="version" required maxlength="40" placeholder="e.g. 2027-01" />${err("version")}</label>
        <label>Applies from (empty = now) <input name="effectiveOn" type="date" />${err("effectiveOn")}</label>
        <label
          >Acceptance required
          <select name="required">
            <option value="">As the gym's default (Settings)</option>
            <option value="off">Not required (collect signatures only)</option>
            <option value="check_in">To check in</option>
            <option value="booking">To book and to check in</option>
          </select></label
        >
        <label>Text <textarea name="text" required minlength="20" maxlength="20000"></textarea>${err("text")}</label>
        <button class="primary" type="submit">Publish</button>
      </form>
    </section>`;
  }

  private async _onPublish(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const effectiveOn = String(data.get("effectiveOn") ?? "");
    const required = String(data.get("required") ?? "");
    const document = String(data.get("document") ?? "");
    const ack = await this.client.command(`gym:${this.me.gymId}`, "gym:publishWaiver", {
      title: String(data.get("title") ?? ""),
      version: String(data.get("version") ?? ""),
      text: String(data.get("text") ?? ""),
      ...(effectiveOn ? { effectiveOn } : {}),
      ...(required ? { required } : {}),
      ...(document ? { document } : {}),
    });
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    if (toasts.fromAck(ack, "Published — members see it in the app.") && ack.ok) {
      form.reset();
      await this._load();
    }
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<WaiverStatus>(`gym:${this.me.gymId}`, "gym:waiverStatus", {});
    if (ack.ok) {
      this._status = ack.result;
      this._error = "";
    } else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "waivers-screen": WaiversScreen;
  }
}
