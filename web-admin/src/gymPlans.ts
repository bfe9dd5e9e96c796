import { html } from "lit";
import type { SpotterClient } from "../../domain/client/index.js";
import { formatMoney } from "../../web/shared/format.js";
import type { PlanLine } from "./types.js";

/** The gym's plans as `gym:plans` answers them (archived ones included: callers pick with `current`). */
export function loadPlans(client: SpotterClient, gymId: string) {
  return client.command<{ plans: PlanLine[] }>(`gym:${gymId}`, "gym:plans", {});
}

/** The plans staff may still sell or assign (not archived). */
export function currentPlans(plans: readonly PlanLine[]): PlanLine[] {
  return plans.filter((p) => !p.archived);
}

/** One `<option>` per plan, named with its price in the gym's currency ("Pack · €50.00"). */
export function planOption(p: PlanLine, currency: string) {
  return html`<option value=${p.planId}>${p.name} · ${formatMoney(p.priceCents, currency)}</option>`;
}
