import { html } from "lit";
import type { SpotterClient } from "../../domain/client/index.js";
import type { SegmentFilter } from "../../domain/segments/filter.js";
import { toasts } from "../../web/shared/toasts.js";
import { downloadText } from "./download.js";

/**
 * The segments screen's bulk-action panel: the forms under a preview (tag/untag, message, freeze, CSV) and the requests
 * they send. Each action asks for confirmation with the previewed count, which the server checks (`expectedCount`).
 */

/** What a bulk action acts on: the gym room, the filter previewed and how many it matched. */
export interface SegmentTarget {
  client: SpotterClient;
  room: string;
  filter: SegmentFilter;
  expectedCount: number;
}

export interface BulkHandlers {
  onBulk: (e: SubmitEvent) => void;
  onMessage: (e: SubmitEvent) => void;
  onFreeze: (e: SubmitEvent) => void;
  onExport: () => void;
}

/** The tag/untag, message and freeze forms for a preview of `count` members. */
export function bulkActionForms(count: number, on: BulkHandlers) {
  return html`<form class="inline" @submit=${on.onBulk} aria-label="Bulk tag">
        <label>Tag <input name="tag" required maxlength="40" placeholder="win-back" /></label>
        <button type="submit" name="action" value="tag" ?disabled=${count === 0}>Tag ${count} members</button>
        <button type="submit" name="action" value="untag" ?disabled=${count === 0}>Untag ${count} members</button>
        <button type="button" @click=${on.onExport} ?disabled=${count === 0}>⬇ CSV</button>
      </form>
      <form class="inline" @submit=${on.onMessage} aria-label="Bulk message">
        <label>Message <textarea name="text" required maxlength="500" rows="2" placeholder="We miss you — open gym on Saturday"></textarea></label>
        <button type="submit" ?disabled=${count === 0}>Message ${count} members</button>
      </form>
      <form class="inline" @submit=${on.onFreeze} aria-label="Bulk freeze">
        <label>Freeze until <input name="until" type="date" required /></label>
        <label>Why <input name="reason" required maxlength="300" placeholder="Summer break" /></label>
        <button type="submit" ?disabled=${count === 0}>Freeze ${count} members</button>
      </form>`;
}

/** Tags or untags every member of the segment (the button pressed says which). Resolves false when not confirmed. */
export async function bulkTag(t: SegmentTarget, e: SubmitEvent): Promise<boolean> {
  const action = (e.submitter as HTMLButtonElement | null)?.value === "untag" ? "untag" : "tag";
  const tag = String(new FormData(e.target as HTMLFormElement).get("tag") ?? "").trim();
  const { expectedCount } = t;
  if (!window.confirm(`This will ${action} ${expectedCount} members “${tag}”. Go ahead?`)) return false;
  const ack = await t.client.command<{ changed: number }>(t.room, "gym:segmentAction", {
    filter: t.filter,
    action,
    tag,
    expectedCount,
  });
  if (ack.ok) toasts.success(`${ack.result.changed} members ${action === "tag" ? "tagged" : "untagged"} “${tag}”.`);
  else toasts.fromAck(ack);
  return true;
}

/** Messages every member of the segment; clears the form once sent. Resolves false when not confirmed. */
export async function bulkMessage(t: SegmentTarget, e: SubmitEvent): Promise<boolean> {
  const form = e.target as HTMLFormElement;
  const text = String(new FormData(form).get("text") ?? "").trim();
  const { expectedCount } = t;
  if (!window.confirm(`This will message ${expectedCount} members (their inbox, and push or email as each of them chose). Go ahead?`))
    return false;
  const ack = await t.client.command<{ sent: number }>(t.room, "gym:segmentMessage", {
    filter: t.filter,
    text,
    expectedCount,
  });
  if (ack.ok) {
    toasts.success(`Message sent to ${ack.result.sent} members.`);
    form.reset();
  } else toasts.fromAck(ack);
  return true;
}

/** Freezes every member of the segment until a date. Resolves false when not confirmed. */
export async function bulkFreeze(t: SegmentTarget, e: SubmitEvent): Promise<boolean> {
  const data = new FormData(e.target as HTMLFormElement);
  const { expectedCount } = t;
  const until = String(data.get("until") ?? "");
  if (
    !window.confirm(
      `This will freeze ${expectedCount} members until ${until} and cancel their bookings in that time without a fee. Go ahead?`,
    )
  )
    return false;
  const ack = await t.client.command<{ frozen: number; skipped: { memberId: string; reason: string }[] }>(t.room, "gym:segmentFreeze", {
    filter: t.filter,
    until,
    reason: String(data.get("reason") ?? "").trim(),
    expectedCount,
  });
  if (ack.ok)
    toasts.success(`${ack.result.frozen} members frozen${ack.result.skipped.length ? `, ${ack.result.skipped.length} skipped` : ""}.`);
  else toasts.fromAck(ack);
  return true;
}

/** Downloads the segment as CSV. */
export async function exportSegment(t: Pick<SegmentTarget, "client" | "room" | "filter">): Promise<void> {
  const res = await t.client.command<{ name: string; csv: string }>(t.room, "gym:exportSegment", { filter: t.filter });
  if (!res.ok) return void toasts.fromAck(res);
  downloadText(res.result.name, res.result.csv);
}
