/**
 * The demo gym is set up through the same use cases as the first-run wizard (`app/setup`): its details and opening
 * hours, its first location and the second one — each an audited transaction, as if its owner had typed them. The
 * gym row comes first, from `npm run gym:create`'s own code (demoAccounts.ts). Its class types and classes come through
 * the history import (`app/setup/importClasses.ts`), past ones included, and then the owner finishes the wizard. No room
 * runs yet, so there is nothing live to tell.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { AdminActor } from "../../app/admin/ports.js";
import type { SetupPorts } from "../../app/setup/ports.js";
import { importClasses } from "../../app/setup/importClasses.js";
import { finishSetup, saveLocation, saveSetup } from "../../app/setup/setup.js";
import { DomainError } from "../../domain/errors.js";
import type { ClassSession, ClassType, Gym, Location } from "../../domain/model.js";
import { setupStore } from "../persistence/setupStore.js";

const Hours = {
  "0": [{ opens: "09:00", closes: "14:00" }],
  "1": [{ opens: "06:00", closes: "21:30" }],
  "2": [{ opens: "06:00", closes: "21:30" }],
  "3": [{ opens: "06:00", closes: "21:30" }],
  "4": [{ opens: "06:00", closes: "21:30" }],
  "5": [{ opens: "06:00", closes: "21:30" }],
  "6": [{ opens: "08:00", closes: "16:00" }],
};

/** The set-up ports while seeding: no room runs yet, and new ids are the demo's own, in order. */
function demoPorts(em: EntityManager, ids: string[], now: number): SetupPorts {
  return {
    store: setupStore({ em }),
    live: { catalogChanged: async () => undefined, policyChanged: async () => undefined, timeZoneChanged: async () => undefined },
    classes: { send: async () => ({ ok: false, error: { code: "UNAVAILABLE", message: "No class rooms while seeding." } }) },
    newId: () => ids.shift() ?? "",
    now: () => now,
  };
}

/** Creates `gym` and its `locations` (ids as given, in order) through the set-up use cases, as `ownerId`. */
export async function setUpDemoGym(
  em: EntityManager,
  gym: Gym,
  locations: readonly Location[],
  ownerId: string,
  now: number,
): Promise<void> {
  const ports = demoPorts(
    em,
    locations.map((l) => l.id),
    now,
  );
  const actor: AdminActor = { userId: ownerId, role: "owner", gymId: gym.id, commandId: null, now };
  const [first, ...more] = locations;
  const outcomes = [
    await saveSetup(ports, actor, {
      name: gym.name,
      timeZone: gym.timeZone,
      currency: gym.policy.currency,
      locale: "en-GB",
      openingHours: Hours,
      firstLocation: { name: first!.name },
    }),
  ];
  for (const l of more) outcomes.push(await saveLocation(ports, actor, { name: l.name }));
  const failed = outcomes.find((o) => o === null || o instanceof DomainError);
  if (failed !== undefined) throw new Error(`demo set-up refused: ${failed instanceof DomainError ? failed.message : "no gym"}`);
}

/**
 * The demo's class types and two weeks of classes, through the history import as its owner (past classes included,
 * completed once they ended). `sessions` are what `demoClasses` drew; the import must make exactly those.
 */
export async function importDemoClasses(
  em: EntityManager,
  gymId: string,
  classTypes: readonly ClassType[],
  sessions: readonly ClassSession[],
  ownerId: string,
  now: number,
): Promise<void> {
  const ports = demoPorts(em, [...classTypes.map((t) => t.id), ...sessions.map((s) => s.id)], now);
  const actor: AdminActor = { userId: ownerId, role: "owner", gymId, commandId: null, now };
  const imported = await importClasses(ports, actor, {
    classTypes: classTypes.map((t) => ({ ref: t.id, name: t.name, description: t.description, color: t.color })),
    classes: sessions.map((s) => ({
      classTypeId: s.classTypeId,
      locationId: s.locationId,
      coachId: s.coachId,
      startsAt: s.startsAt,
      durationMinutes: (s.endsAt - s.startsAt) / 60_000,
      capacity: s.capacity,
    })),
  });
  if (imported === null || imported instanceof DomainError)
    throw new Error(`demo classes refused: ${imported instanceof DomainError ? imported.message : "no gym"}`);
  // The wizard's last step, now that the gym has places and class types.
  const finished = await finishSetup(ports, actor);
  if (finished === null || finished instanceof DomainError)
    throw new Error(`demo set-up not finished: ${finished instanceof DomainError ? finished.message : "no gym"}`);
}
