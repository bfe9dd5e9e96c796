import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { OpeningHours } from "../../domain/model.js";
import { toasts } from "../../web/shared/toasts.js";
import { shared } from "./styles.js";
import { Currencies, DefaultHours, Weekdays, type GymSetup } from "./setupTypes.js";

const Days = ["1", "2", "3", "4", "5", "6", "0"] as const;

/** The wizard's first step: the gym's name, time zone, currency, locale, opening hours and first location (`gym:saveSetup`). */
@customElement("setup-gym-form")
export class SetupGymForm extends LitElement {
  static override styles = [
    shared,
    css`
      label {
        display: grid;
        gap: 0.2rem;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.5rem 1rem;
      }
      table.hours {
        width: auto;
      }
      table.hours td {
        padding: 0.15rem 0.6rem 0.15rem 0;
      }
      input,
      select,
      button {
        min-height: 2.5rem;
      }
      .err {
        color: #9b1c1c;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property({ attribute: false }) setup: GymSetup | null = null;
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;

  override render() {
    const s = this.setup;
    const hours = s?.openingHours ?? DefaultHours;
    const hasLocation = (s?.locations.length ?? 0) > 0;
    const err = (k: string) => (this._fields[k] ? html`<span class="err" role="alert">${this._fields[k]}</span>` : nothing);
    const tz = s?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    return html`<form @submit=${this._onSubmit} aria-label="Your gym">
      <h2>Your gym</h2>
      <div class="grid">
        <label>Gym name <input name="name" required maxlength="200" .value=${s?.name ?? ""} />${err("name")}</label>
        <label>Time zone <input name="timeZone" required list="zones" .value=${tz} />${err("timeZone")}</label>
        <label>Currency
          <select name="currency">${Currencies.map((c) => html`<option ?selected=${c === (s?.currency ?? "EUR")}>${c}</option>`)}</select>${err("currency")}
        </label>
        <label>Language and formats <input name="locale" required .value=${s?.locale && s.locale !== "en" ? s.locale : navigator.language} />${err("locale")}</label>
      </div>
      <datalist id="zones">${zones().map((z) => html`<option value=${z}></option>`)}</datalist>
      ${
        hasLocation
          ? html`<p class="muted">First location: ${s!.locations[0]!.name}</p>`
          : html`<h3>First location</h3>
            <div class="grid">
              <label>Location name <input name="locationName" required maxlength="120" placeholder="Main floor" />${err("firstLocation.name")}</label>
              <label>Address <input name="address" maxlength="300" /></label>
            </div>`
      }
      <h3>Opening hours</h3>
      <table class="hours" aria-label="Opening hours">
        <tbody>
          ${Days.map((d) => {
            const span = hours[d][0];
            return html`<tr>
              <td><label class="row"><input type="checkbox" name="open-${d}" ?checked=${span !== undefined} /> ${Weekdays[Number(d)]}</label></td>
              <td><input type="time" name="opens-${d}" aria-label="${Weekdays[Number(d)]} opens" .value=${span?.opens ?? "06:00"} /></td>
              <td><input type="time" name="closes-${d}" aria-label="${Weekdays[Number(d)]} closes" .value=${span?.closes ?? "21:00"} /></td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${err("openingHours")}
      <p><button class="primary" type="submit" ?disabled=${this._busy}>Save and continue</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    const v = (k: string) => String(d.get(k) ?? "").trim();
    const openingHours = Object.fromEntries(
      Days.map((day) => [day, d.get(`open-${day}`) ? [{ opens: v(`opens-${day}`), closes: v(`closes-${day}`) }] : []]),
    ) as OpeningHours;
    const payload = {
      name: v("name"),
      timeZone: v("timeZone"),
      currency: v("currency"),
      locale: v("locale"),
      openingHours,
      ...(d.has("locationName") ? { firstLocation: { name: v("locationName"), address: v("address") } } : {}),
    };
    this._busy = true;
    const ack = await this.client.command(`gym:${this.gymId}`, "gym:saveSetup", payload);
    this._busy = false;
    this._fields = ack.ok
      ? {}
      : Object.fromEntries(Object.entries(ack.error.fields ?? {}).map(([k, m]) => [k.startsWith("openingHours") ? "openingHours" : k, m]));
    if (toasts.fromAck(ack, "Saved.")) this.dispatchEvent(new CustomEvent("saved", { bubbles: true, composed: true }));
  }
}

/** The time zones this browser knows (for the picker); free text is checked by the server. */
function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}

declare global {
  interface HTMLElementTagNameMap {
    "setup-gym-form": SetupGymForm;
  }
}
