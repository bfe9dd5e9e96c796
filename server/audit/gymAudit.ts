import { sessionView } from "../../domain/audit/classAudit.js";
import type { AuditDraft } from "../../domain/audit/chain.js";
import type { GymChange } from "../../rooms/GymRoom.js";
import type { ProcessedRecord } from "../../rooms/ports.js";

interface Segment {
  entityType: string;
  entityId: string;
  after: Record<string, unknown>;
}

/**
 * Splits a gym commit's changes into one part per command: a check-in (with its attendance), a class type,
 * a series (its schedule and the sessions it generated) or a single session. Gym rooms have no timers, so
 * every part belongs to a command, in the order of `processed`.
 */
function segments(changes: readonly GymChange[]): Segment[] {
  const out: Segment[] = [];
  for (const c of changes) {
    const last = out[out.length - 1];
    if (c.type === "checkin") {
      const k = c.checkIn;
      out.push({
        entityType: "check_in",
        entityId: k.id,
        after: {
          memberId: k.memberId,
          result: k.result,
          reason: k.reason,
          source: k.source,
          attendance: false,
          ...(k.override ? { override: k.override } : {}),
        },
      });
    } else if (c.type === "attendance") {
      if (last?.entityType === "check_in") last.after.attendance = true;
    } else if (c.type === "waiverAlert" || c.type === "notice") {
      // Staff (or the member) are told of the check-in audited just before: no part of its own.
    } else if (c.type === "classType") {
      const t = c.classType;
      out.push({ entityType: "class_type", entityId: t.id, after: { name: t.name, color: t.color, promotionMode: t.promotionMode } });
    } else if (c.type === "schedule") {
      const s = c.schedule;
      out.push({
        entityType: "recurring_schedule",
        entityId: s.id,
        after: {
          classTypeId: s.classTypeId,
          locationId: s.locationId,
          coachId: s.coachId,
          weekdays: s.weekdays,
          startTime: s.startTime,
          durationMinutes: s.durationMinutes,
          capacity: s.capacity,
          startDate: s.startDate,
          endDate: s.endDate,
          sessions: 0,
        },
      });
    } else if (c.session.scheduleId !== null && last?.entityType === "recurring_schedule" && last.entityId === c.session.scheduleId) {
      last.after.sessions = (last.after.sessions as number) + 1;
    } else {
      out.push({ entityType: "class_session", entityId: c.session.id, after: sessionView(c.session) });
    }
  }
  return out;
}

/** Audit drafts of one gym commit: one row per command (what it created), in command order. */
export function gymAuditDrafts(
  changes: readonly GymChange[],
  processed: readonly ProcessedRecord[],
  ctx: { now: number; newId: () => string },
): AuditDraft[] {
  const parts = segments(changes);
  // Every gym command with changes has a processed record; if that ever stops holding, say "system", never a wrong actor.
  const attributed = parts.length === processed.length;
  return parts.map((p, i) => {
    const by = attributed ? processed[i]! : null;
    return {
      id: ctx.newId(),
      at: by?.createdAt ?? ctx.now,
      actorId: by?.userId ?? null,
      role: by ? null : "system",
      action: by?.type ?? `${p.entityType}.created`,
      entityType: p.entityType,
      entityId: p.entityId,
      summary: { before: null, after: p.after },
      commandId: by?.commandId ?? null,
    };
  });
}
