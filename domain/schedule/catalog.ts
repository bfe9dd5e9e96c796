import type { ClassType } from "../model.js";

/**
 * A change of what a gym room shows besides its classes: the gym's details, a location (archived ones leave the list
 * of places to schedule in), a room (archived ones leave the rooms a class can name) or a class type. Sent to the gym room right after the change commits, on whichever node
 * runs it (as a policy change is).
 */
export type CatalogChange =
  | { kind: "gym"; gym: { name: string; timeZone: string; currency: string } }
  | { kind: "location"; location: { id: string; name: string; archived: boolean } }
  | { kind: "classType"; classType: ClassType }
  | { kind: "room"; room: { id: string; locationId: string; name: string; archived: boolean } };
