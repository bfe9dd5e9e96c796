import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { MAX_PHOTO_BYTES, PHOTO_PATH, PHOTO_TYPES } from "../../domain/protocol/photos.js";
import { bearerHeader } from "../../web/shared/factorApi.js";
import { toasts } from "../../web/shared/toasts.js";

/** Why a chosen file cannot be sent, in words (the route says the same); null when it can. */
export function photoProblem(file: { type: string; size: number }): string | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return "Choose a JPEG, PNG or WebP photo.";
  if (file.size === 0) return "That file is empty — choose another photo.";
  if (file.size > MAX_PHOTO_BYTES) return `A photo can be up to ${MAX_PHOTO_BYTES / 1024} KB — make it smaller.`;
  return null;
}

/** My photo, the one the front desk sees when I check in: shown, uploaded or replaced (one per gym). */
@customElement("member-photo")
export class MemberPhoto extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 1rem;
      margin-top: 1rem;
      background: var(--card, #fff);
      border-radius: 0.75rem;
      padding: 0.9rem;
    }
    img,
    .none {
      width: 4.5rem;
      height: 4.5rem;
      border-radius: 50%;
      object-fit: cover;
      flex: none;
      background: #e5e7eb;
    }
    .label {
      color: var(--muted, #5b6470);
      font-size: 0.85rem;
    }
    label.button {
      display: inline-flex;
      align-items: center;
      margin-top: 0.5rem;
      min-height: 2.75rem;
      padding: 0 1rem;
      border-radius: 0.6rem;
      border: 1px solid #c4cad2;
      background: #fff;
      cursor: pointer;
    }
    label.button:focus-within {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: 2px;
    }
    input[type="file"] {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .error {
      color: var(--danger, #b42318);
    }
  `;

  @property() gymId = "";
  @property() userId = "";
  @property({ type: Boolean }) online = false;
  /** Moves when my account changed (staff may have uploaded my photo at the desk): the photo is fetched again. */
  @property() accountKey = "";
  @state() private _url = "";
  @state() private _busy = false;
  @state() private _error = "";

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has("gymId") || changed.has("userId") || changed.has("accountKey")) && this.gymId && this.userId) void this._fetch();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._show("");
  }

  override render() {
    return html`${this._url ? html`<img src=${this._url} alt="Your photo" data-testid="my-photo" />` : html`<span class="none" aria-hidden="true"></span>`}
      <div>
        <strong>Photo</strong><br />
        <span class="label">${this._url ? "The front desk sees it when you check in." : "No photo yet — add one so the front desk knows you."}</span><br />
        <label class="button">
          ${this._busy ? "Uploading…" : this._url ? "Replace photo" : "Upload a photo"}
          <input type="file" accept=${PHOTO_TYPES.join(",")} ?disabled=${!this.online || this._busy} @change=${this._onFile} />
        </label>
        ${this._error ? html`<p class="error" role="alert" data-testid="photo-error">${this._error}</p>` : ""}
      </div>`;
  }

  private _path(): string {
    return `${PHOTO_PATH}?gym=${encodeURIComponent(this.gymId)}&member=${encodeURIComponent(this.userId)}`;
  }

  /** An <img> cannot send the bearer header: fetch the photo and show it from memory. */
  private async _fetch(): Promise<void> {
    const res = await fetch(this._path(), { headers: bearerHeader() }).catch(() => null);
    if (res?.ok) this._show(URL.createObjectURL(await res.blob()));
    else if (res?.status === 404) this._show("");
  }

  private _show(url: string): void {
    if (this._url) URL.revokeObjectURL(this._url);
    this._url = url;
  }

  private async _onFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    this._error = photoProblem(file) ?? "";
    if (this._error) return;
    this._busy = true;
    const res = await fetch(this._path(), {
      method: "POST",
      headers: { ...bearerHeader(), "x-spotter": "1", "content-type": file.type },
      body: file,
    }).catch(() => null);
    this._busy = false;
    if (!res) return void (this._error = "Can't reach Spotter — check your connection and try again.");
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      return void (this._error = body.error?.message ?? "We couldn't save your photo — try again.");
    }
    this._show(URL.createObjectURL(file));
    toasts.success("Photo saved — the front desk will see it when you check in.");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "member-photo": MemberPhoto;
  }
}
