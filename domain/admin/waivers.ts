/**
 * Waivers (docs/domain.md "Policies and waivers"): staff publish versions, members sign them with a typed name, and
 * the gym decides whether a missing signature stops check-in or booking too. Pure: "now", hashes and ids are passed in.
 */
import { DomainError } from "../errors.js";
import type { GymPolicy, Instant, WaiverEnforcement, WaiverVersionRef } from "../model.js";

export { WaiverEnforcements, type WaiverEnforcement, type WaiverVersionRef } from "../model.js";

/** How many published versions the policy keeps for the rooms (the current one and those published after it). */
export const WaiverVersionsKept = 5;

/** One published waiver version. Insert-only: a change is a new version. */
export interface WaiverDocument extends WaiverVersionRef {
  id: string;
  gymId: string;
  title: string;
  text: string;
  /** SHA-256 of `text` (hex), the evidence a signature points at. */
  textHash: string;
  /** The gym date it applies from ("YYYY-MM-DD"). */
  effectiveOn: string;
  publishedBy: string;
  publishedAt: Instant;
}

/** A member's signature, kept as evidence: what they saw (hash, version), what they typed, when, from where. Immutable. */
export interface WaiverSignature {
  id: string;
  gymId: string;
  documentId: string;
  memberId: string;
  version: string;
  textHash: string;
  typedName: string;
  signedAt: Instant;
  ip: string;
  userAgent: string;
}

/** What a member's standing carries when the gym enforces its waiver: the gym's versions and the ones they signed. */
export interface WaiverStanding {
  enforce: Exclude<WaiverEnforcement, "off">;
  versions: readonly WaiverVersionRef[];
  signed: readonly string[];
}

/** The member's waiver standing under the gym's policy; undefined when nothing is enforced or nothing is published. */
export function waiverStanding(
  policy: Pick<GymPolicy, "waiverRequired" | "waiverVersions">,
  signed: readonly string[],
): WaiverStanding | undefined {
  const enforce = policy.waiverRequired ?? "off";
  const versions = policy.waiverVersions ?? [];
  if (enforce === "off" || versions.length === 0) return undefined;
  return { enforce, versions, signed };
}

/** The version in force at `now`: the latest whose effective instant has come (of equal ones, the last listed), or null. */
export function currentWaiver<T extends WaiverVersionRef>(versions: readonly T[], now: Instant): T | null {
  let current: T | null = null;
  for (const v of versions) if (v.effectiveAt <= now && (current === null || v.effectiveAt >= current.effectiveAt)) current = v;
  return current;
}

/**
 * Whether the member lacks a signature of the version in force, where the gym enforces it (`at` says which door:
 * the desk checks under both settings, booking only under "booking").
 * @example waiverMissing({ enforce: "check_in", versions: [{ version: "2", effectiveAt: 0 }], signed: ["1"] }, 1, "check_in") // true
 */
export function waiverMissing(w: WaiverStanding | undefined, now: Instant, at: "check_in" | "booking"): boolean {
  if (!w || (at === "booking" && w.enforce !== "booking")) return false;
  const current = currentWaiver(w.versions, now);
  return current !== null && !w.signed.includes(current.version);
}

/** The policy's version list after publishing `v`: ordered by effective instant, the newest {@link WaiverVersionsKept}. */
export function withVersion(versions: readonly WaiverVersionRef[] | undefined, v: WaiverVersionRef): WaiverVersionRef[] {
  return [...(versions ?? []), v].sort((a, b) => a.effectiveAt - b.effectiveAt).slice(-WaiverVersionsKept);
}

/** A new version: a name never used before in this gym, applying from today or later. */
export function checkPublish(
  existing: readonly string[],
  input: { version: string; effectiveOn: string },
  today: string,
): DomainError | null {
  if (existing.includes(input.version))
    return new DomainError("VALIDATION_FAILED", `Version ${input.version} is already published — give the new text a new version.`, {
      fields: { version: "Already published" },
    });
  if (input.effectiveOn < today)
    return new DomainError("VALIDATION_FAILED", undefined, { fields: { effectiveOn: "Pick today or a later date" } });
  return null;
}

/**
 * A typed signature: a name of at least two letters. It is kept as typed (the evidence is what the member wrote,
 * beside who was signed in), not matched against the name the gym has — people sign with their legal name.
 */
export function checkTypedName(typed: string): DomainError | null {
  if ((typed.match(/\p{L}/gu) ?? []).length >= 2) return null;
  return new DomainError("VALIDATION_FAILED", undefined, { fields: { typedName: "Type your full name" } });
}

/** Members can sign the version in force or one published to apply later, never one already replaced. */
export function signable<T extends WaiverVersionRef>(versions: readonly T[], version: string, now: Instant): T | DomainError {
  const doc = versions.find((v) => v.version === version);
  if (!doc) return new DomainError("NOT_FOUND", "This waiver version isn't published — reload to see the current one.");
  const current = currentWaiver(versions, now);
  if (current && doc.effectiveAt < current.effectiveAt)
    return new DomainError("VALIDATION_FAILED", `Version ${version} was replaced by ${current.version} — sign the current one.`, {
      fields: { version: "Replaced" },
    });
  return doc;
}
