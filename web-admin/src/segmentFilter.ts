import { html, nothing } from "lit";
import { MembershipStatuses } from "../../domain/model.js";
import type { SegmentFilter } from "../../domain/segments/filter.js";
import type { PlanLine } from "./types.js";

/**
 * The segments screen's filter editor: the "Who" form's fields drawn from a filter, and the filter read back from the form.
 * The element (segments-screen.ts) owns the form and its events; this file owns what the fields are and mean.
 */

/** The fields of the "Who" form for filter `f` (`money`: the fees-owed box, for roles that see fees). */
export function filterFields(f: SegmentFilter, plans: PlanLine[], money: boolean) {
  return html`<fieldset>
              <legend>Status</legend>
              ${MembershipStatuses.map((s) => html`<label><input type="checkbox" name="status" value=${s} ?checked=${f.statuses?.includes(s) ?? false} /> ${s.replace("_", " ")}</label>`)}
            </fieldset>
            <label
              >Plan
              <select name="plan">
                <option value="">Any plan</option>
                ${plans.map((pl) => html`<option value=${pl.planId} ?selected=${f.planIds?.[0] === pl.planId}>${pl.name}</option>`)}
              </select></label
            >
            <label>Tagged (any of, comma-separated) <input name="tags" .value=${(f.tags ?? []).join(", ")} /></label>
            <div class="inline">
              <label>No visit in the last <input type="number" name="noVisitDays" min="1" max="730" .value=${f.noVisitDays === undefined ? "" : String(f.noVisitDays)} /> days</label>
            </div>
            <div class="inline">
              <label>At least <input type="number" name="visitsMin" min="0" .value=${f.visits?.min === undefined ? "" : String(f.visits.min)} /></label>
              <label>at most <input type="number" name="visitsMax" min="0" .value=${f.visits?.max === undefined ? "" : String(f.visits.max)} /></label>
              <label>visits in <input type="number" name="visitsDays" min="1" max="730" .value=${f.visits ? String(f.visits.days) : "30"} /> days</label>
            </div>
            ${money ? html`<label><input type="checkbox" name="feesOwed" ?checked=${f.feesOwed === true} /> Owes money</label>` : nothing}
            <label><input type="checkbox" name="trialEndedNotConverted" ?checked=${f.trialEndedNotConverted === true} /> Trial ended without joining</label>
            <label><input type="checkbox" name="birthdayThisWeek" ?checked=${f.birthdayThisWeek === true} /> Birthday this week</label>
            <label><input type="checkbox" name="streakBroken" ?checked=${f.streakBroken === true} /> Streak broken</label>
            <label><input type="checkbox" name="adherenceBelowTarget" ?checked=${f.adherenceBelowTarget === true} /> Below their weekly target (last 4 weeks)</label>
            <label><input type="checkbox" name="waiverMissing" ?checked=${f.waiverMissing === true} /> Waiver in force not signed</label>`;
}

/** The filter the "Who" form describes (empty fields and unticked boxes leave their condition out). */
export function filterFromForm(form: HTMLFormElement): SegmentFilter {
  const data = new FormData(form);
  const num = (name: string) => (String(data.get(name) ?? "").trim() === "" ? undefined : Number(data.get(name)));
  const statuses = data.getAll("status").map(String) as SegmentFilter["statuses"];
  const tags = String(data.get("tags") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const min = num("visitsMin");
  const max = num("visitsMax");
  return {
    ...(statuses?.length ? { statuses } : {}),
    ...(data.get("plan") ? { planIds: [String(data.get("plan"))] } : {}),
    ...(tags.length ? { tags } : {}),
    ...(num("noVisitDays") !== undefined ? { noVisitDays: num("noVisitDays") } : {}),
    ...(min !== undefined || max !== undefined
      ? { visits: { days: num("visitsDays") ?? 30, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } }
      : {}),
    ...(data.get("feesOwed") ? { feesOwed: true } : {}),
    ...(data.get("trialEndedNotConverted") ? { trialEndedNotConverted: true } : {}),
    ...(data.get("birthdayThisWeek") ? { birthdayThisWeek: true } : {}),
    ...(data.get("streakBroken") ? { streakBroken: true } : {}),
    ...(data.get("adherenceBelowTarget") ? { adherenceBelowTarget: true } : {}),
    ...(data.get("waiverMissing") ? { waiverMissing: true } : {}),
  };
}
