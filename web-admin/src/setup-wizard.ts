import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { addDays, localDate } from "../../domain/schedule/timeZone.js";
import { errorMessage } from "../../web/shared/messages.js";
import { toasts } from "../../web/shared/toasts.js";
import "./setup-gym-form.js";
import { shared } from "./styles.js";
import { Weekdays, type GymSetup } from "./setupTypes.js";
import type { StaffMe } from "./types.js";

const Steps = ["Your gym", "Class types", "Weekly schedule", "Done"] as const;

/**
 * The first owner's set-up, after the setup link: the gym's details and first location, class types, a first weekly
 * schedule — each step saved through the protocol as it is made — then `gym:finishSetup` opens the app.
 */
@customElement("setup-wizard")
export class SetupWizard extends LitElement {
  static override styles = [
    shared,
    css`
      ol.steps {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        list-style: none;
        padding: 0;
      }
      ol.steps li {
        padding: 0.3rem 0.7rem;
        border-radius: 1rem;
        background: #e6ebf3;
      }
      ol.steps li[aria-current="step"] {
        background: #14213d;
        color: #fff;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select,
      button {
        min-height: 2.5rem;
      }
      .chip {
        display: inline-block;
        padding: 0.2rem 0.6rem;
        border-radius: 1rem;
        color: #fff;
        margin: 0 0.3rem 0.3rem 0;
      }
      fieldset.days label {
        display: inline-flex;
        gap: 0.2rem;
        margin-right: 0.6rem;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property({ attribute: false }) me!: StaffMe;
  @state() private _setup: GymSetup | null = null;
  @state() private _step = 0;
  @state() private _error = "";
  @state() private _busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load(true);
  }

  override render() {
    if (this._error) return html`<p role="alert">${this._error}</p>`;
    const s = this._setup;
    if (!s) return html`<p role="status">Loading set-up…</p>`;
    return html`<section class="card" aria-label="Set up your gym">
      <h1>Set up ${s.name}</h1>
      <ol class="steps">${Steps.map((name, i) => html`<li aria-current=${i === this._step ? "step" : "false"}>${i + 1}. ${name}</li>`)}</ol>
      ${[this._gym, this._types, this._schedule, this._done][this._step]!.call(this, s)}
    </section>`;
  }

  private _gym(s: GymSetup) {
    return html`<setup-gym-form .client=${this.client} gymId=${this.me.gymId} .setup=${s} @saved=${() => this._next()}></setup-gym-form>`;
  }

  private _types(s: GymSetup) {
    const live = s.classTypes.filter((t) => !t.archived);
    return html`<h2>Class types</h2>
      <p class="muted">What you teach: each class on the timetable is one of these.</p>
      <p aria-label="Class types so far">${live.map((t) => html`<span class="chip" style="background:${t.color}">${t.name}</span>`)}</p>
      <form class="row" @submit=${this._onAddType} aria-label="Add a class type">
        <label>Name <input name="name" required maxlength="80" placeholder="CrossFit" /></label>
        <label>Colour <input name="color" type="color" value="#2f6fdf" /></label>
        <button type="submit" ?disabled=${this._busy}>Add class type</button>
      </form>
      <p><button @click=${() => this._back()}>Back</button> <button class="primary" ?disabled=${live.length === 0} @click=${() => this._next()}>Continue</button></p>`;
  }

  private _schedule(s: GymSetup) {
    const types = s.classTypes.filter((t) => !t.archived);
    const locations = s.locations.filter((l) => !l.archived);
    const name = (id: string) => s.classTypes.find((t) => t.classTypeId === id)?.name ?? "Class";
    return html`<h2>First weekly schedule</h2>
      <p class="muted">Each line repeats every week; you can edit one class or a whole series later.</p>
      <ul aria-label="Series so far">
        ${s.series.map((x) => html`<li>${name(x.classTypeId)} · ${x.weekdays.map((d) => Weekdays[d]).join(" ")} at ${x.startTime} · ${x.durationMinutes} min · ${x.capacity} places · until ${x.endDate}</li>`)}
      </ul>
      <form @submit=${this._onAddSeries} aria-label="Add a weekly class">
        <div class="row">
          <label>Class type <select name="classTypeId" required>${types.map((t) => html`<option value=${t.classTypeId}>${t.name}</option>`)}</select></label>
          <label>Location <select name="locationId" required>${locations.map((l) => html`<option value=${l.locationId}>${l.name}</option>`)}</select></label>
        </div>
        <fieldset class="days"><legend>Weekdays</legend>${Weekdays.map((d, i) => html`<label><input type="checkbox" name="weekday" value=${i} />${d}</label>`)}</fieldset>
        <div class="row">
          <label>Start time <input type="time" name="startTime" required value="18:00" /></label>
          <label>Minutes <input type="number" name="durationMinutes" min="5" max="1440" value="60" required /></label>
          <label>Places <input type="number" name="capacity" min="0" max="500" value="16" required /></label>
          <label>For weeks <input type="number" name="weeks" min="1" max="52" value="12" required /></label>
        </div>
        <p><button type="submit" ?disabled=${this._busy || types.length === 0}>Add to the schedule</button></p>
      </form>
      <p><button @click=${() => this._back()}>Back</button> <button class="primary" @click=${() => this._next()}>${s.series.length ? "Continue" : "Skip for now"}</button></p>`;
  }

  private _done(s: GymSetup) {
    return html`<h2>Ready</h2>
      <p>${s.name}: ${s.locations.length} location${s.locations.length === 1 ? "" : "s"}, ${s.classTypes.length} class type${s.classTypes.length === 1 ? "" : "s"}, ${s.series.length} weekly class${s.series.length === 1 ? "" : "es"}.
        Next: plans and prices, your waiver, and inviting your members and coaches.</p>
      <p><button @click=${() => this._back()}>Back</button> <button class="primary" ?disabled=${this._busy} @click=${this._onFinish}>Open Spotter</button></p>`;
  }

  private async _onAddType(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    this._busy = true;
    const ack = await this.client.command(`gym:${this.me.gymId}`, "schedule:createClassType", {
      name: String(d.get("name") ?? "").trim(),
      color: String(d.get("color")),
    });
    this._busy = false;
    if (toasts.fromAck(ack, "Class type added.")) {
      form.reset();
      await this._load(false);
    }
  }

  private async _onAddSeries(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const tz = this._setup!.timeZone;
    const startDate = localDate(Date.now(), tz);
    const payload = {
      classTypeId: String(d.get("classTypeId")),
      locationId: String(d.get("locationId")),
      weekdays: d.getAll("weekday").map(Number),
      startTime: String(d.get("startTime")),
      durationMinutes: Number(d.get("durationMinutes")),
      capacity: Number(d.get("capacity")),
      startDate,
      endDate: addDays(startDate, Number(d.get("weeks")) * 7 - 1),
    };
    this._busy = true;
    const ack = await this.client.command<{ sessionIds: string[] }>(`gym:${this.me.gymId}`, "schedule:createSeries", payload);
    this._busy = false;
    if (toasts.fromAck(ack, ack.ok ? `Added: ${ack.result.sessionIds.length} classes.` : "")) {
      form.reset();
      await this._load(false);
    }
  }

  private async _onFinish(): Promise<void> {
    this._busy = true;
    const ack = await this.client.command(`gym:${this.me.gymId}`, "gym:finishSetup", {});
    this._busy = false;
    if (toasts.fromAck(ack, "Your gym is set up."))
      this.dispatchEvent(new CustomEvent("setup-finished", { bubbles: true, composed: true }));
  }

  private _next(): void {
    this._step = Math.min(Steps.length - 1, this._step + 1);
    void this._load(false);
  }

  private _back(): void {
    this._step = Math.max(0, this._step - 1);
  }

  /** The first load resumes where the owner left off: a location means step 2, a class type step 3. */
  private async _load(resume: boolean): Promise<void> {
    const ack = await this.client.command<GymSetup>(`gym:${this.me.gymId}`, "gym:setup", {});
    if (!ack.ok) return void (this._error = errorMessage(ack.error));
    this._setup = ack.result;
    if (resume) this._step = ack.result.locations.length === 0 ? 0 : ack.result.classTypes.length === 0 ? 1 : 2;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "setup-wizard": SetupWizard;
  }
}
