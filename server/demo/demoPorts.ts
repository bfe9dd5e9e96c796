/**
 * The ports the demo's use cases run on while seeding: no room runs yet (nothing live to tell, no room to ask), new ids
 * are the demo's own (in the order a use case asks for them), and the notices of the demo's past are not sent.
 */
import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { AdminPorts } from "../../app/admin/ports.js";
import type { NoticeSender } from "../../app/notices/ports.js";
import { DomainError } from "../../domain/errors.js";
import { adminStore } from "../persistence/adminStore.js";

const refuse = async () => ({ ok: false as const, error: { code: "UNAVAILABLE" as const, message: "No rooms while seeding." } });

/** The administration ports while seeding: no room to tell or ask, no notices, and new ids are the demo's own, in order. */
export function seedingAdminPorts(em: EntityManager, ids: string[]): AdminPorts {
  return {
    store: adminStore({ em }),
    notes: {
      memberChanged: () => undefined,
      userChanged: () => undefined,
      policyChanged: async () => undefined,
      gymChanged: () => undefined,
    },
    classes: { book: refuse, cancelBooking: async () => false, bookAndCheckIn: async () => ({ booking: await refuse(), checkIn: null }) },
    desk: { checkIn: refuse },
    newId: () => ids.shift() ?? "",
    hashText: (text) => createHash("sha256").update(text, "utf8").digest("hex"),
    // Settings, plans and waivers tell nobody; a use case that starts to should say so here first.
    notices: {
      notify: async () => {
        throw new Error("the demo's administration sends no notices");
      },
    },
  };
}

/** The use case's answer, or an error naming what the demo asked for. */
export async function accepted<T>(what: string, outcome: Promise<T | DomainError | null>): Promise<T> {
  const result = await outcome;
  if (result instanceof DomainError) throw new Error(`demo ${what} refused: ${result.message}`);
  if (result === null) throw new Error(`demo ${what} refused: not found`);
  return result;
}

/**
 * The notices the demo's past would have sent ("Ana gave kudos to your post", "an entry waits for review"): not sent.
 * They would all arrive now, as unread news, for things that happened days ago.
 */
export const pastNotices: NoticeSender = { notify: async () => [] };
