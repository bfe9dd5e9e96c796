/**
 * Series edits (docs/domain.md "Series edits"): "this class" or "this and following", or the end of a series. The
 * preview answers what would happen to existing bookings; the change stores the series' new terms with its audit row,
 * then each class room makes its own edit (its rules, its audit, its notices to the members booked or waiting).
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import { planSeriesChange, seriesTargets, type SeriesChange, type SeriesPlan } from "../../domain/schedule/seriesChange.js";
import type { AdminActor } from "../admin/ports.js";
import type { SetupPorts, SetupTx } from "./ports.js";

/** A series spans at most a year: at most 7 classes a week. */
const MAX_CLASSES = 400;

async function plan(
  tx: SetupTx,
  gymId: string,
  change: SeriesChange,
  now: number,
): Promise<(SeriesPlan & { scheduleId: string | null }) | null> {
  const gym = await tx.gym(gymId, false);
  if (!gym) return null;
  if (change.action === "end") {
    const series = (await tx.series(gymId)).find((s) => s.id === change.scheduleId);
    if (!series) return null;
    const all = await tx.seriesSessions(gymId, series.id, now, MAX_CLASSES + 1);
    if (all.length > MAX_CLASSES) throw new DomainError("LIMIT_EXCEEDED", `That series has more than ${MAX_CLASSES} classes ahead.`);
    return { ...planSeriesChange(change, seriesTargets(change, all, null, gym.timeZone), gym.timeZone, now), scheduleId: series.id };
  }
  const chosen = await tx.session(gymId, change.sessionId);
  if (!chosen) return null;
  const scheduleId = change.scope === "following" ? chosen.session.scheduleId : null;
  const all = scheduleId ? await tx.seriesSessions(gymId, scheduleId, chosen.session.startsAt, MAX_CLASSES + 1) : [chosen];
  if (all.length > MAX_CLASSES) throw new DomainError("LIMIT_EXCEEDED", `That series has more than ${MAX_CLASSES} classes ahead.`);
  return { ...planSeriesChange(change, seriesTargets(change, all, chosen, gym.timeZone), gym.timeZone, now), scheduleId };
}

/** What the answer shows of a plan (the commands stay inside). */
const shown = (p: SeriesPlan) => ({ sessions: p.steps.map(({ command: _command, ...step }) => step), totals: p.totals });

/** What a series change would do, class by class, to bookings and waitlists. Changes nothing. */
export async function previewSeriesChange(p: SetupPorts, gymId: string, change: RequestPayload<"gym:previewSeriesChange">) {
  try {
    const planned = await p.store.read((tx) => plan(tx, gymId, change, p.now()));
    return planned && shown(planned);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

/** Stores the series' new terms (audited), then asks each class room to make its edit; a retry resends the same commands, which the rooms answer once. */
export async function changeSeries(p: SetupPorts, actor: AdminActor, change: RequestPayload<"gym:changeSeries">) {
  const planned = await p.store.transaction(actor, "gym:changeSeries", async (tx) => {
    const result = await plan(tx, actor.gymId, change, actor.now);
    if (!result) return null;
    const series = result.scheduleId ? (await tx.series(actor.gymId)).find((s) => s.id === result.scheduleId) : undefined;
    if (series) {
      const next =
        change.action === "end"
          ? { ...series, endDate: change.lastDate < series.endDate ? change.lastDate : series.endDate }
          : {
              ...series,
              startTime: change.startTime ?? series.startTime,
              durationMinutes: change.durationMinutes ?? series.durationMinutes,
              capacity: change.capacity ?? series.capacity,
              coachId: change.coachId !== undefined ? change.coachId : series.coachId,
            };
      await tx.saveSeries(next);
    }
    tx.audit({
      action: "gym:changeSeries",
      entityType: series ? "schedule" : "session",
      entityId: series?.id ?? (change.action === "edit" ? change.sessionId : null),
      before: series
        ? {
            startTime: series.startTime,
            durationMinutes: series.durationMinutes,
            capacity: series.capacity,
            coachId: series.coachId,
            endDate: series.endDate,
          }
        : null,
      after: { change, totals: result.totals },
    });
    return result;
  });
  if (!planned || planned instanceof DomainError) return planned;
  const base = actor.commandId ?? p.newId();
  const failed: { sessionId: string; code: string; message: string }[] = [];
  let applied = 0;
  for (const step of planned.steps) {
    if (!step.command) continue;
    const answer = await p.classes.send(actor.userId, actor.gymId, `${base}:${step.sessionId}`, step.command);
    if (answer.ok) applied++;
    else failed.push({ sessionId: step.sessionId, code: answer.error.code, message: answer.error.message });
  }
  return { ...shown(planned), applied, failed };
}
