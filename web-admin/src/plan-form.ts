import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SpotterClient } from "../../domain/client/index.js";
import { shared } from "./styles.js";
import type { PlanLine } from "./types.js";
import { toasts } from "../../web/shared/toasts.js";

const KindLabels: Record<PlanLine["kind"], string> = {
  unlimited: "Unlimited",
  weekly: "Classes per week",
  pack: "Class pack",
  drop_in: "Drop-in",
  trial: "Trial",
};

/** Create or edit a plan; the fields shown follow the kind. Fires `plan-saved`. */
@customElement("plan-form")
export class PlanForm extends LitElement {
  static override styles = [
    shared,
    css`
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0.5rem 1rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      input,
      select {
        min-height: 2.5rem;
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) client!: SpotterClient;
  @property() gymId = "";
  @property() currency = "EUR";
  /** The plan being edited; null = a new one. */
  @property({ attribute: false }) plan: PlanLine | null = null;
  @state() private _kind: PlanLine["kind"] = "pack";
  @state() private _fields: Record<string, string> = {};
  @state() private _busy = false;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("plan")) this._kind = this.plan?.kind ?? "pack";
  }

  override render() {
    const p = this.plan;
    const e = p?.entitlement;
    const k = this._kind;
    const field = (name: string) => (this._fields[name] ? html`<span role="alert" class="muted">${this._fields[name]}</span>` : nothing);
    return html`<form @submit=${this._onSubmit} aria-label=${p ? `Edit ${p.name}` : "New plan"}>
      <h2>${p ? `Edit ${p.name}` : "New plan"}</h2>
      <div class="fields">
        <label>Name <input name="name" required maxlength="120" .value=${p?.name ?? ""} />${field("name")}</label>
        <label>Kind
          <select name="kind" @change=${(ev: Event) => (this._kind = (ev.target as HTMLSelectElement).value as PlanLine["kind"])}>
            ${Object.entries(KindLabels).map(([v, l]) => html`<option value=${v} ?selected=${v === k}>${l}</option>`)}
          </select>
        </label>
        <label>Price (${this.currency}) <input name="price" type="number" min="0" step="0.01" required .value=${p ? String(p.priceCents / 100) : ""} />${field("priceCents")}</label>
        <label>Billed
          <select name="billingPeriod">
            ${(["once", "week", "month", "year"] as const).map((b) => html`<option value=${b} ?selected=${b === (p?.billingPeriod ?? (k === "pack" || k === "drop_in" ? "once" : "month"))}>${b === "once" ? "once" : `every ${b}`}</option>`)}
          </select>
        </label>
        ${k === "weekly" ? html`<label>Classes per week <input name="classesPerWeek" type="number" min="1" max="50" required .value=${e?.kind === "weekly" ? String(e.classesPerWeek) : ""} />${field("classesPerWeek")}</label>` : nothing}
        ${k === "pack" || k === "trial" ? html`<label>Credits${k === "trial" ? " (empty = unlimited)" : ""} <input name="credits" type="number" min="1" max="1000" ?required=${k === "pack"} .value=${e?.kind === "pack" ? String(e.credits) : ""} />${field("credits")}</label>` : nothing}
        ${k === "pack" || k === "trial" || k === "drop_in" ? html`<label>Valid for (days) <input name="validDays" type="number" min="1" max="3660" ?required=${k !== "drop_in"} .value=${e?.kind === "pack" ? String(e.validDays) : ""} />${field("validDays")}</label>` : nothing}
        <label>Aims for (classes/week) <input name="weeklyTarget" type="number" min="0" max="50" .value=${String(p?.weeklyTarget ?? 2)} /></label>
      </div>
      ${p ? html`<p><label class="row"><input type="checkbox" name="archived" ?checked=${p.archived} /> Archived (no longer sold; members keep it)</label></p>` : nothing}
      <p class="muted">${p ? "Members on this plan are decided on the new terms from their next booking." : ""}</p>
      <p><button class="primary" type="submit" ?disabled=${this._busy}>${p ? "Save plan" : "Create plan"}</button></p>
    </form>`;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const num = (name: string) => (data.get(name) === null || data.get(name) === "" ? undefined : Number(data.get(name)));
    const payload = {
      ...(this.plan ? { planId: this.plan.planId, archived: data.get("archived") === "on" } : {}),
      name: String(data.get("name") ?? "").trim(),
      kind: this._kind,
      priceCents: Math.round((num("price") ?? 0) * 100),
      billingPeriod: String(data.get("billingPeriod")),
      classesPerWeek: num("classesPerWeek"),
      credits: num("credits"),
      validDays: num("validDays"),
      weeklyTarget: num("weeklyTarget") ?? 0,
      classTypeIds: this.plan?.classTypeIds ?? [],
    };
    this._busy = true;
    const ack = await this.client.command<{ planId: string }>(`gym:${this.gymId}`, "gym:savePlan", payload);
    this._busy = false;
    this._fields = ack.ok ? {} : (ack.error.fields ?? {});
    if (!toasts.fromAck(ack, `Plan "${payload.name}" saved.`) || !ack.ok) return;
    if (!this.plan) form.reset();
    this.dispatchEvent(new CustomEvent("plan-saved", { detail: ack.result, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plan-form": PlanForm;
  }
}
