import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { MaxTourCapacity } from "../../domain/leads/pipeline.js";
import { zonedInstant } from "../../domain/schedule/timeZone.js";
import { formatWhen } from "../../web/shared/format.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import { shared } from "./styles.js";

interface Slot {
  slotId: string;
  startsAt: number;
  capacity: number;
  leads: { leadId: string; name: string }[];
}

/** Tour slots the public form offers: open one (gym time), see who is booked, close one (capacity 0). */
@customElement("tour-slots")
export class TourSlots extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      input[type="number"] {
        width: 4rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() timeZone = "UTC";
  @state() private _slots: Slot[] = [];
  @state() private _error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    const ack = await this.client.command<{ slots: Slot[] }>(`gym:${this.gymId}`, "gym:tourSlots", {});
    this._error = ack.ok ? "" : errorMessage(ack.error);
    if (ack.ok) this._slots = ack.result.slots;
  }

  override render() {
    return html`<h2>Tours</h2>
      <form @submit=${this._onOpen} aria-label="Open a tour slot">
        <label>Day <input name="date" type="date" required /></label>
        <label>Time <input name="time" type="time" required /></label>
        <label>People <input name="capacity" type="number" min="1" max=${MaxTourCapacity} value="4" required /></label>
        <button type="submit">Open tour</button>
      </form>
      ${this._error ? html`<p role="alert">${this._error}</p>` : ""}
      <ul aria-label="Upcoming tours">
        ${this._slots.map(
          (s) => html`<li data-slot=${s.slotId}>
            ${formatWhen(s.startsAt, this.timeZone)} · ${s.capacity === 0 ? "closed" : `${s.leads.length} of ${s.capacity}`}${s.leads.length ? ` · ${s.leads.map((l) => l.name).join(", ")}` : ""}
            ${s.capacity > 0 ? html`<button @click=${() => this._onClose(s)}>Close</button>` : ""}
          </li>`,
        )}
      </ul>`;
  }

  private async _onOpen(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const startsAt = zonedInstant(String(data.get("date")), String(data.get("time")), this.timeZone);
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:saveTourSlot", { startsAt, capacity: Number(data.get("capacity")) });
    if (toasts.fromAck(ack, "Tour opened: the trial form offers it now.")) await this._load();
  }

  private async _onClose(s: Slot): Promise<void> {
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:saveTourSlot", { slotId: s.slotId, startsAt: s.startsAt, capacity: 0 });
    if (toasts.fromAck(ack, "Tour closed to new bookings.")) await this._load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tour-slots": TourSlots;
  }
}
