/**
 * Gym settings (issue 18 item 3): a policy change is stored with its audit row, then the gym room — which copies the
 * policy into every class it schedules — takes it at once on whichever node runs it, and members are read again
 * (required consents live in the policy).
 */
import { changedPolicy, policyDiff, type PolicySetting } from "../../domain/admin/settings.js";
import { previewPolicy as preview } from "../../domain/admin/settingsPreview.js";
import { DomainError } from "../../domain/errors.js";
import type { GymPolicy } from "../../domain/model.js";
import type { AdminActor, AdminPorts, AdminStore } from "./ports.js";

export async function setPolicy(ports: AdminPorts, actor: AdminActor, change: Partial<Pick<GymPolicy, PolicySetting>>) {
  const result = await ports.store.transaction(actor, "gym:setPolicy", async (tx) => {
    const policy = await tx.policy(actor.gymId, true);
    if (!policy) return null;
    const next = changedPolicy(policy, change);
    if (next instanceof DomainError) throw next;
    const diff = policyDiff(policy, next);
    const changed = Object.keys(diff.after);
    if (changed.length > 0) {
      await tx.savePolicy(actor.gymId, next);
      tx.audit({ action: "gym:setPolicy", entityType: "gym", entityId: actor.gymId, ...diff });
    }
    return { policy: next, changed };
  });
  if (!result || result instanceof DomainError) return result;
  if (result.changed.length > 0) {
    await ports.notes.policyChanged(actor.gymId, result.policy);
    ports.notes.gymChanged(actor.gymId);
  }
  return result;
}

/**
 * What a draft of the settings would change, setting by setting, before it is saved: its scope in words and the classes
 * (and bookings) it reaches now — counted in one read, nothing changed, nothing audited (counts only, nobody's data).
 */
export async function previewPolicy(
  ports: { store: AdminStore },
  gymId: string,
  now: number,
  draft: Partial<Pick<GymPolicy, PolicySetting>>,
) {
  return ports.store.read(async (tx) => {
    const policy = await tx.policy(gymId, false);
    if (!policy) return null;
    // The gym-wide count only for a draft that changes something (an empty or unchanged draft — every open of the
    // settings page — answers from the policy alone).
    const next = changedPolicy(policy, draft);
    if (next instanceof DomainError) return next;
    if (Object.keys(policyDiff(policy, next).after).length === 0) return { changes: [] };
    const changes = preview(policy, draft, await tx.classReach(gymId, now), now);
    return changes instanceof DomainError ? changes : { changes };
  });
}
