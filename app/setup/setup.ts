/**
 * Setting a gym up (issue 18 "Set-up"; docs/domain.md "Setting up a gym"): the wizard's gym details and first
 * location, locations and rooms, class types. Each write is one audited transaction, idempotent by command id; the
 * live gym room takes the change right after it commits.
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { AdminActor } from "../admin/ports.js";
import type { LocationRecord, SetupPorts } from "./ports.js";

/** The gym's set-up as the wizard and the settings screens show it. */
export async function readSetup(p: SetupPorts, gymId: string) {
  return p.store.read(async (tx) => {
    const gym = await tx.gym(gymId, false);
    if (!gym) return null;
    const [locations, rooms, types, series] = await Promise.all([
      tx.locations(gymId),
      tx.rooms(gymId),
      tx.classTypes(gymId),
      tx.series(gymId),
    ]);
    return {
      name: gym.name,
      timeZone: gym.timeZone,
      currency: gym.policy.currency,
      locale: gym.locale,
      openingHours: gym.openingHours,
      needsSetup: gym.needsSetup,
      locations: locations.map((l) => ({
        locationId: l.id,
        name: l.name,
        address: l.address,
        archived: l.archived,
        rooms: rooms.filter((r) => r.locationId === l.id).map((r) => ({ roomId: r.id, name: r.name, archived: r.archived })),
      })),
      classTypes: types.map((t) => ({
        classTypeId: t.id,
        name: t.name,
        description: t.description,
        color: t.color,
        archived: t.archived === true,
      })),
      series: series.map((s) => ({
        scheduleId: s.id,
        classTypeId: s.classTypeId,
        locationId: s.locationId,
        roomId: s.roomId ?? null,
        coachId: s.coachId,
        weekdays: s.weekdays,
        startTime: s.startTime,
        durationMinutes: s.durationMinutes,
        capacity: s.capacity,
        startDate: s.startDate,
        endDate: s.endDate,
      })),
    };
  });
}

/** The wizard's first step and later edits of the gym's details; creates the first location when asked and there is none. */
export async function saveSetup(p: SetupPorts, actor: AdminActor, c: RequestPayload<"gym:saveSetup">) {
  const result = await p.store.transaction(actor, "gym:saveSetup", async (tx) => {
    const gym = await tx.gym(actor.gymId, true);
    if (!gym) return null;
    const before = {
      name: gym.name,
      timeZone: gym.timeZone,
      currency: gym.policy.currency,
      locale: gym.locale,
      openingHours: gym.openingHours,
    };
    const policy = gym.policy.currency === c.currency ? gym.policy : { ...gym.policy, currency: c.currency };
    await tx.saveGym(actor.gymId, { ...gym, name: c.name, timeZone: c.timeZone, locale: c.locale, openingHours: c.openingHours, policy });
    tx.audit({
      action: "gym:saveSetup",
      entityType: "gym",
      entityId: actor.gymId,
      before,
      after: { name: c.name, timeZone: c.timeZone, currency: c.currency, locale: c.locale, openingHours: c.openingHours },
    });
    let location: LocationRecord | null = null;
    if (c.firstLocation && (await tx.locations(actor.gymId)).length === 0) {
      location = { id: p.newId(), gymId: actor.gymId, name: c.firstLocation.name, address: c.firstLocation.address ?? "", archived: false };
      await tx.saveLocation(location);
      tx.audit({
        action: "gym:saveLocation",
        entityType: "location",
        entityId: location.id,
        before: null,
        after: { name: location.name, address: location.address },
      });
    }
    return {
      locationId: location?.id ?? null,
      location,
      policy,
      currencyChanged: policy !== gym.policy,
      timeZoneChanged: c.timeZone !== gym.timeZone,
      gym: { name: c.name, timeZone: c.timeZone, currency: c.currency },
    };
  });
  if (!result || result instanceof DomainError) return result;
  await p.live.catalogChanged(actor.gymId, { kind: "gym", gym: result.gym });
  if (result.location)
    await p.live.catalogChanged(actor.gymId, {
      kind: "location",
      location: { id: result.location.id, name: result.location.name, archived: false },
    });
  if (result.currencyChanged) await p.live.policyChanged(actor.gymId, result.policy);
  if (result.timeZoneChanged) await p.live.timeZoneChanged(actor.gymId);
  return { locationId: result.locationId };
}

/** The wizard is done: it needs a location to hold classes and a class type to schedule. */
export async function finishSetup(p: SetupPorts, actor: AdminActor) {
  return p.store.transaction(actor, "gym:finishSetup", async (tx) => {
    const gym = await tx.gym(actor.gymId, true);
    if (!gym) return null;
    const [locations, types] = await Promise.all([tx.locations(actor.gymId), tx.classTypes(actor.gymId)]);
    if (!locations.some((l) => !l.archived))
      throw new DomainError("VALIDATION_FAILED", "Add a location first — classes need a place.", { fields: { locations: "Add one" } });
    if (!types.some((t) => !t.archived))
      throw new DomainError("VALIDATION_FAILED", "Add a class type first — the schedule is made of them.", {
        fields: { classTypes: "Add one" },
      });
    if (gym.needsSetup) await tx.saveGym(actor.gymId, { ...gym, needsSetup: false });
    tx.audit({
      action: "gym:finishSetup",
      entityType: "gym",
      entityId: actor.gymId,
      before: { needsSetup: gym.needsSetup },
      after: { needsSetup: false },
    });
    return { needsSetup: false };
  });
}

/** Adds, renames, moves or archives a location; never deletes one (its classes and bookings point at it). */
export async function saveLocation(p: SetupPorts, actor: AdminActor, c: RequestPayload<"gym:saveLocation">) {
  const saved = await p.store.transaction(actor, "gym:saveLocation", async (tx) => {
    const all = await tx.locations(actor.gymId);
    const found = c.locationId ? all.find((l) => l.id === c.locationId) : undefined;
    if (c.locationId && !found)
      throw new DomainError("NOT_FOUND", "That location isn't in this gym.", { fields: { locationId: "Unknown location" } });
    if (!found && all.length >= 50)
      throw new DomainError("LIMIT_EXCEEDED", "A gym can have at most 50 locations — archive one you no longer use, or restore it.");
    const clash = all.find((l) => l.id !== found?.id && l.name.toLowerCase() === c.name.toLowerCase());
    if (clash)
      throw new DomainError(
        "VALIDATION_FAILED",
        `There is already a location called ${clash.name}${clash.archived ? " (archived — restore it instead)" : ""}.`,
        { fields: { name: "Taken" } },
      );
    const next: LocationRecord = {
      id: found?.id ?? p.newId(),
      gymId: actor.gymId,
      name: c.name,
      address: c.address ?? found?.address ?? "",
      archived: c.archived ?? found?.archived ?? false,
    };
    await tx.saveLocation(next);
    const strip = (l: LocationRecord | undefined) => (l ? { name: l.name, address: l.address, archived: l.archived } : null);
    tx.audit({ action: "gym:saveLocation", entityType: "location", entityId: next.id, before: strip(found), after: strip(next) });
    return next;
  });
  if (!saved || saved instanceof DomainError) return saved;
  await p.live.catalogChanged(actor.gymId, { kind: "location", location: { id: saved.id, name: saved.name, archived: saved.archived } });
  return { locationId: saved.id };
}

/** Adds, renames or archives a room of a location; a new room needs a location that is not archived. Classes may name it. */
export async function saveRoom(p: SetupPorts, actor: AdminActor, c: RequestPayload<"gym:saveRoom">) {
  const saved = await p.store.transaction(actor, "gym:saveRoom", async (tx) => {
    const location = (await tx.locations(actor.gymId)).find((l) => l.id === c.locationId);
    if (!location) throw new DomainError("NOT_FOUND", "That location isn't in this gym.", { fields: { locationId: "Unknown location" } });
    const rooms = (await tx.rooms(actor.gymId)).filter((r) => r.locationId === c.locationId);
    const found = c.roomId ? rooms.find((r) => r.id === c.roomId) : undefined;
    if (c.roomId && !found) throw new DomainError("NOT_FOUND", "That room isn't in this location.", { fields: { roomId: "Unknown room" } });
    if (!found && location.archived)
      throw new DomainError("VALIDATION_FAILED", `${location.name} is archived — restore it to add rooms.`, {
        fields: { locationId: "Archived" },
      });
    if (!found && rooms.length >= 30) throw new DomainError("LIMIT_EXCEEDED", "A location can have at most 30 rooms.");
    if (rooms.some((r) => r.id !== found?.id && r.name.toLowerCase() === c.name.toLowerCase()))
      throw new DomainError("VALIDATION_FAILED", `${location.name} already has a room called ${c.name}.`, { fields: { name: "Taken" } });
    const next = {
      id: found?.id ?? p.newId(),
      gymId: actor.gymId,
      locationId: c.locationId,
      name: c.name,
      archived: c.archived ?? found?.archived ?? false,
    };
    await tx.saveRoom(next);
    tx.audit({
      action: "gym:saveRoom",
      entityType: "room",
      entityId: next.id,
      before: found ? { name: found.name, archived: found.archived } : null,
      after: { locationId: next.locationId, name: next.name, archived: next.archived },
    });
    return next;
  });
  if (!saved || saved instanceof DomainError) return saved;
  // The gym room's rooms a new class may name (an archived one can't be chosen).
  await p.live.catalogChanged(actor.gymId, {
    kind: "room",
    room: { id: saved.id, locationId: saved.locationId, name: saved.name, archived: saved.archived },
  });
  return { roomId: saved.id };
}

/** Edits or archives a class type: classes already scheduled keep it (and show its new name at once). */
export async function saveClassType(p: SetupPorts, actor: AdminActor, c: RequestPayload<"gym:saveClassType">) {
  const saved = await p.store.transaction(actor, "gym:saveClassType", async (tx) => {
    const found = (await tx.classTypes(actor.gymId)).find((t) => t.id === c.classTypeId);
    if (!found) throw new DomainError("NOT_FOUND", "That class type isn't in this gym.", { fields: { classTypeId: "Unknown class type" } });
    const next = {
      ...found,
      name: c.name ?? found.name,
      description: c.description ?? found.description,
      color: c.color ?? found.color,
      archived: c.archived ?? found.archived ?? false,
    };
    await tx.saveClassType(next);
    const strip = (t: typeof found) => ({ name: t.name, description: t.description, color: t.color, archived: t.archived === true });
    tx.audit({ action: "gym:saveClassType", entityType: "class_type", entityId: found.id, before: strip(found), after: strip(next) });
    return next;
  });
  if (!saved || saved instanceof DomainError) return saved;
  await p.live.catalogChanged(actor.gymId, { kind: "classType", classType: saved });
  return { classTypeId: saved.id };
}
