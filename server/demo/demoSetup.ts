/**
 * The demo gym is set up through the same use cases as the first-run wizard (`app/setup`): its details and opening
 * hours, its first location and the second one — each an audited transaction, as if its owner had typed them. Only the
 * bare gym row is inserted first, as `npm run gym:create` does. No room runs yet, so there is nothing live to tell.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { AdminActor } from "../../app/admin/ports.js";
import type { SetupPorts } from "../../app/setup/ports.js";
import { saveLocation, saveSetup } from "../../app/setup/setup.js";
import { DomainError } from "../../domain/errors.js";
import type { Gym, Location } from "../../domain/model.js";
import { GymEntity } from "../db/entities/index.js";
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

/** Creates `gym` and its `locations` (ids as given, in order) through the set-up use cases, as `ownerId`. */
export async function setUpDemoGym(
  em: EntityManager,
  gym: Gym,
  locations: readonly Location[],
  ownerId: string,
  now: number,
): Promise<void> {
  await em.fork().insert(GymEntity, { ...gym, name: "New gym", needsSetup: true });
  const ids = locations.map((l) => l.id);
  const ports: SetupPorts = {
    store: setupStore({ em }),
    live: { catalogChanged: async () => undefined, policyChanged: async () => undefined },
    classes: { send: async () => ({ ok: false, error: { code: "UNAVAILABLE", message: "No class rooms while seeding." } }) },
    newId: () => ids.shift() ?? "",
    now: () => now,
  };
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
  await em.fork().nativeUpdate(GymEntity, { id: gym.id }, { needsSetup: false });
}
