/**
 * Bringing a gym's classes over from another system (issue 18: a gym switching from Mindbody or Glofox keeps its
 * history): new class types and classes, past ones included — which `schedule:createSession` refuses, since nobody
 * books the past. Same references and policy copy as a new class (`domain/schedule/newClasses.ts`); a class that
 * already ended is `completed`. One audited transaction, idempotent by command id; the demo gym is made by it too.
 */
import { DomainError } from "../../domain/errors.js";
import type { ClassSession, ClassType } from "../../domain/model.js";
import type { CommandPayload } from "../../domain/protocol/commands.js";
import { importedClass, newClassType, type ScheduleContext } from "../../domain/schedule/newClasses.js";
import type { AdminActor } from "../admin/ports.js";
import type { SetupPorts } from "./ports.js";

/** At most this many class types and classes in one import (a year of a busy gym's classes fits). */
export const ImportLimits = { classTypes: 100, classes: 5000 } as const;

export interface ClassImport {
  /** New class types; `ref` is what `classes[].classTypeId` may name them by (their ids are new). */
  classTypes: (CommandPayload<"schedule:createClassType"> & { ref: string })[];
  /** Classes at any time, past or future; `classTypeId` is an existing class type's id or a new one's `ref`. */
  classes: CommandPayload<"schedule:createSession">[];
  /**
   * No class twice (the CSV import): imports into the gym take turns (its row locked) and a class already there — same
   * class type, start and location — refuses the import (`CONFLICT`, nothing imported): one added meanwhile.
   */
  unique?: boolean;
}

/** Creates the class types, then the classes (all or nothing); answers their ids in order. */
export async function importClasses(p: Pick<SetupPorts, "store" | "live" | "newId">, actor: AdminActor, input: ClassImport) {
  if (input.classTypes.length > ImportLimits.classTypes || input.classes.length > ImportLimits.classes)
    return new DomainError(
      "LIMIT_EXCEEDED",
      `One import takes at most ${ImportLimits.classTypes} class types and ${ImportLimits.classes} classes — split it.`,
    );
  const done = await p.store.transaction(actor, "gym:importClasses", async (tx) => {
    const gym = await tx.gym(actor.gymId, input.unique === true);
    if (!gym) return null;
    // One after another: a transaction is one connection, which runs one query at a time.
    const types = await tx.classTypes(actor.gymId);
    const locations = await tx.locations(actor.gymId);
    const rooms = await tx.rooms(actor.gymId);
    const coaches = await tx.coaches(actor.gymId);
    const taken = new Set(types.map((t) => t.name.toLowerCase()));
    const byRef = new Map<string, string>();
    const created: ClassType[] = [];
    for (const t of input.classTypes) {
      if (taken.has(t.name.toLowerCase()))
        throw new DomainError("VALIDATION_FAILED", `There is already a class type called ${t.name}.`, { fields: { classTypes: "Taken" } });
      taken.add(t.name.toLowerCase());
      const type = newClassType({ gymId: actor.gymId }, t, p.newId());
      byRef.set(t.ref, type.id);
      created.push(type);
    }
    const ctx: ScheduleContext = {
      gymId: actor.gymId,
      timeZone: gym.timeZone,
      policy: gym.policy,
      classTypes: Object.fromEntries([...types, ...created].map((t) => [t.id, t])),
      locations: Object.fromEntries(locations.filter((l) => !l.archived).map((l) => [l.id, l.name])),
      rooms: Object.fromEntries(rooms.filter((r) => !r.archived).map((r) => [r.id, { locationId: r.locationId, name: r.name }])),
      coaches: Object.fromEntries(coaches.map((id) => [id, id])),
      newId: p.newId,
    };
    const sessions: ClassSession[] = [];
    for (const [i, c] of input.classes.entries()) {
      const s = importedClass(ctx, { ...c, classTypeId: byRef.get(c.classTypeId) ?? c.classTypeId }, p.newId(), actor.now);
      if (s instanceof DomainError) throw new DomainError(s.code, `Class ${i + 1}: ${s.message}`, { fields: s.fields ?? {} });
      sessions.push(s);
    }
    if (input.unique && sessions.length > 0) {
      const starts = sessions.map((s) => s.startsAt);
      const there = await tx.classesAt(actor.gymId, Math.min(...starts), Math.max(...starts));
      if (sessions.some((s) => there.has(`${s.classTypeId}|${s.startsAt}|${s.locationId}`)))
        throw new DomainError(
          "CONFLICT",
          "Some of these classes were added meanwhile (another import?) — check the file again. Nothing was imported.",
        );
    }
    for (const t of created) await tx.saveClassType(t);
    await tx.addSessions(sessions);
    for (const t of created)
      tx.audit({
        action: "gym:importClasses",
        entityType: "class_type",
        entityId: t.id,
        before: null,
        after: { name: t.name, color: t.color },
      });
    const starts = sessions.map((s) => s.startsAt);
    tx.audit({
      action: "gym:importClasses",
      entityType: "session",
      entityId: null,
      before: null,
      after: {
        classes: sessions.length,
        completed: sessions.filter((s) => s.status === "completed").length,
        from: starts.length ? Math.min(...starts) : null,
        to: starts.length ? Math.max(...starts) : null,
      },
    });
    return { created, sessionIds: sessions.map((s) => s.id) };
  });
  if (!done || done instanceof DomainError) return done;
  for (const classType of done.created) await p.live.catalogChanged(actor.gymId, { kind: "classType", classType });
  return { classTypeIds: done.created.map((t) => t.id), sessionIds: done.sessionIds };
}
