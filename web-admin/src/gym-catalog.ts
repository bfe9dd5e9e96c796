import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { shared } from "./styles.js";
import type { GymSetup } from "./setupTypes.js";

type Location = GymSetup["locations"][number];
type ClassType = GymSetup["classTypes"][number];

/**
 * Locations with their rooms, and class types: add, rename, archive and restore (never delete — classes and bookings
 * point at them). Archived ones stay listed, marked, and take no new classes.
 */
@customElement("gym-catalog")
export class GymCatalog extends LitElement {
  static override styles = [
    shared,
    css`
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      li.archived > form input {
        color: #6b7280;
      }
      form.row {
        flex-wrap: wrap;
      }
      input,
      button {
        min-height: 2.5rem;
      }
      .rooms {
        margin: 0.3rem 0 0 1.5rem;
      }
      .tag {
        font-size: 0.8rem;
        background: #eceff4;
        border-radius: 0.3rem;
        padding: 0.1rem 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @state() private _setup: GymSetup | null = null;
  @state() private _error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    const s = this._setup;
    if (!s) return html`<p role="status">Loading locations and class types…</p>`;
    return html`<section class="card" aria-labelledby="locations-h">
        <h2 id="locations-h">Locations and rooms</h2>
        <ul aria-label="Locations">${s.locations.map((l) => this._location(l))}</ul>
        <form class="row" aria-label="Add a location" @submit=${(e: Event) => this._save(e, "gym:saveLocation", {}, "Location added.")}>
          <input name="name" required maxlength="120" aria-label="New location name" placeholder="New location" />
          <input name="address" maxlength="300" aria-label="New location address" placeholder="Address" />
          <button type="submit">Add location</button>
        </form>
      </section>
      <section class="card" aria-labelledby="types-h" style="margin-top: 1rem">
        <h2 id="types-h">Class types</h2>
        <ul aria-label="Class types">${s.classTypes.map((t) => this._type(t))}</ul>
        <p class="muted">New class types are added on the Schedule screen.</p>
      </section>`;
  }

  private _location(l: Location) {
    const archive = l.archived ? "Restore" : "Archive";
    return html`<li class=${l.archived ? "archived" : ""} data-location=${l.locationId}>
      <form class="row" aria-label=${`Location ${l.name}`} @submit=${(e: Event) => this._save(e, "gym:saveLocation", { locationId: l.locationId }, "Location saved.")}>
        <input name="name" required maxlength="120" aria-label=${`Name of ${l.name}`} .value=${l.name} />
        <input name="address" maxlength="300" aria-label=${`Address of ${l.name}`} .value=${l.address} />
        <button type="submit">Rename</button>
        <button type="button" @click=${() => this._send("gym:saveLocation", { locationId: l.locationId, name: l.name, archived: !l.archived }, `${l.name} ${l.archived ? "restored" : "archived"}.`)}>${archive} ${l.name}</button>
        ${l.archived ? html`<span class="tag">Archived — no new classes</span>` : nothing}
      </form>
      <ul class="rooms" aria-label=${`Rooms of ${l.name}`}>
        ${l.rooms.map(
          (r) => html`<li>
            <form class="row" @submit=${(e: Event) => this._save(e, "gym:saveRoom", { locationId: l.locationId, roomId: r.roomId }, "Room saved.")}>
              <input name="name" required maxlength="120" aria-label=${`Name of room ${r.name}`} .value=${r.name} />
              <button type="submit">Rename</button>
              <button type="button" @click=${() => this._send("gym:saveRoom", { locationId: l.locationId, roomId: r.roomId, name: r.name, archived: !r.archived }, `${r.name} ${r.archived ? "restored" : "archived"}.`)}>${r.archived ? "Restore" : "Archive"} ${r.name}</button>
              ${r.archived ? html`<span class="tag">Archived</span>` : nothing}
            </form>
          </li>`,
        )}
        ${
          l.archived
            ? nothing
            : html`<li><form class="row" aria-label=${`Add a room to ${l.name}`} @submit=${(e: Event) => this._save(e, "gym:saveRoom", { locationId: l.locationId }, "Room added.")}>
              <input name="name" required maxlength="120" aria-label=${`New room in ${l.name}`} placeholder="New room" />
              <button type="submit">Add room</button>
            </form></li>`
        }
      </ul>
    </li>`;
  }

  private _type(t: ClassType) {
    return html`<li class=${t.archived ? "archived" : ""} data-class-type=${t.classTypeId}>
      <form class="row" aria-label=${`Class type ${t.name}`} @submit=${(e: Event) => this._save(e, "gym:saveClassType", { classTypeId: t.classTypeId }, "Class type saved.")}>
        <input name="name" required maxlength="80" aria-label=${`Name of ${t.name}`} .value=${t.name} />
        <input name="color" type="color" aria-label=${`Colour of ${t.name}`} .value=${t.color} />
        <button type="submit">Save</button>
        <button type="button" @click=${() => this._send("gym:saveClassType", { classTypeId: t.classTypeId, archived: !t.archived }, `${t.name} ${t.archived ? "restored" : "archived"}.`)}>${t.archived ? "Restore" : "Archive"} ${t.name}</button>
        ${t.archived ? html`<span class="tag">Archived — no new classes</span>` : nothing}
      </form>
    </li>`;
  }

  /** A form's fields (empty ones left out) with the ids it is about. */
  private async _save(e: Event, type: string, ids: Record<string, string>, done: string): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const fields = Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v !== ""));
    // An "add" form (no id of its own) empties for the next one.
    const adds = !ids.roomId && !ids.classTypeId && !(type === "gym:saveLocation" && ids.locationId);
    if ((await this._send(type, { ...fields, ...ids }, done)) && adds) form.reset();
  }

  private async _send(type: string, payload: Record<string, unknown>, done: string): Promise<boolean> {
    const ack = await this.client.command(`gym:${this.gymId}`, type, payload);
    if (!toasts.fromAck(ack, done)) return false;
    await this._load();
    return true;
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<GymSetup>(`gym:${this.gymId}`, "gym:setup", {});
    if (ack.ok) this._setup = ack.result;
    else this._error = errorMessage(ack.error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gym-catalog": GymCatalog;
  }
}
