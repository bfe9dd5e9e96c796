/**
 * Policies and waivers (docs/domain.md "Policies"): a gym keeps one or more documents (the liability waiver, house
 * rules…); staff publish versions of each, each version saying whether a missing acceptance stops check-in or booking
 * too; members accept them with a typed name. Pure: "now", hashes and ids are passed in.
 */
import { DomainError } from "../errors.js";
import type { GymPolicy, Instant, WaiverEnforcement, WaiverVersionRef } from "../model.js";

export { WaiverEnforcements, type WaiverEnforcement, type WaiverVersionRef } from "../model.js";

/** How many published versions the policy keeps for the rooms, per document (the current one and those published after it). */
export const WaiverVersionsKept = 5;

/** The document every gym had first (the liability waiver): versions without a `document` belong to it. */
export const LiabilityWaiver = "waiver";

/** The document a version belongs to. */
export const documentOf = (v: Pick<WaiverVersionRef, "document">): string => v.document ?? LiabilityWaiver;

/** One published version of a policy document. Insert-only: a change is a new version. */
export interface WaiverDocument extends WaiverVersionRef {
  id: string;
  gymId: string;
  /** The document's key ("waiver", "house-rules"); versions of one document replace each other. */
  document: string;
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

/** What a member's standing carries when any version may be enforced: the gym's versions and the ones they signed. */
export interface WaiverStanding {
  /** The gym's default, for versions published without their own `required`. */
  enforce: WaiverEnforcement;
  versions: readonly WaiverVersionRef[];
  signed: readonly string[];
}

/** What a version requires: its own setting, else the gym's default. */
export const requirementOf = (v: WaiverVersionRef, fallback: WaiverEnforcement | undefined): WaiverEnforcement =>
  v.required ?? fallback ?? "off";

/** The member's standing under the gym's policy; undefined when no version can refuse anything or nothing is published. */
export function waiverStanding(
  policy: Pick<GymPolicy, "waiverRequired" | "waiverVersions">,
  signed: readonly string[],
): WaiverStanding | undefined {
  const enforce = policy.waiverRequired ?? "off";
  const versions = policy.waiverVersions ?? [];
  if (!versions.some((v) => requirementOf(v, enforce) !== "off")) return undefined;
  return { enforce, versions, signed };
}

/** The version in force at `now`: the latest whose effective instant has come (of equal ones, the last listed), or null. Pass one document's versions. */
export function currentWaiver<T extends WaiverVersionRef>(versions: readonly T[], now: Instant): T | null {
  let current: T | null = null;
  for (const v of versions) if (v.effectiveAt <= now && (current === null || v.effectiveAt >= current.effectiveAt)) current = v;
  return current;
}

/** The next version to take over after `now` (the earliest effective instant still ahead), or null. Pass one document's versions. */
export function nextWaiver<T extends WaiverVersionRef>(versions: readonly T[], now: Instant): T | null {
  let next: T | null = null;
  for (const v of versions) if (v.effectiveAt > now && (next === null || v.effectiveAt < next.effectiveAt)) next = v;
  return next;
}

/** When a published version next takes effect after `now` (any document), or null: the gym room republishes its `policies` then. */
export const nextPolicyChange = (versions: readonly WaiverVersionRef[] | undefined, now: Instant): Instant | null =>
  nextWaiver(versions ?? [], now)?.effectiveAt ?? null;

/** The version in force of each document (in the order documents first appear). */
export function currentWaivers<T extends WaiverVersionRef>(versions: readonly T[], now: Instant): T[] {
  const documents = [...new Set(versions.map(documentOf))];
  return documents.flatMap(
    (d) =>
      currentWaiver(
        versions.filter((v) => documentOf(v) === d),
        now,
      ) ?? [],
  );
}

/**
 * Whether the member lacks an acceptance of the version in force of any document that requires it at this door (the
 * desk checks versions required to check in or to book, booking only those required to book).
 * @example waiverMissing({ enforce: "off", versions: [{ version: "2", effectiveAt: 0, required: "booking" }], signed: ["1"] }, 1, "booking") // true
 */
export function waiverMissing(w: WaiverStanding | undefined, now: Instant, at: "check_in" | "booking"): boolean {
  if (!w) return false;
  return currentWaivers(w.versions, now).some((current) => {
    const need = requirementOf(current, w.enforce);
    const applies = at === "booking" ? need === "booking" : need !== "off";
    return applies && !w.signed.includes(current.version);
  });
}

/** The policy's version list after publishing `v`: ordered by effective instant, the newest {@link WaiverVersionsKept} of each document. */
export function withVersion(versions: readonly WaiverVersionRef[] | undefined, v: WaiverVersionRef): WaiverVersionRef[] {
  const all = [...(versions ?? []), v].sort((a, b) => a.effectiveAt - b.effectiveAt);
  const kept = new Set([...new Set(all.map(documentOf))].flatMap((d) => all.filter((x) => documentOf(x) === d).slice(-WaiverVersionsKept)));
  return all.filter((x) => kept.has(x));
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

/** Members can sign the version in force of its document or one published to apply later, never one already replaced. */
export function signable<T extends WaiverVersionRef>(versions: readonly T[], version: string, now: Instant): T | DomainError {
  const doc = versions.find((v) => v.version === version);
  if (!doc) return new DomainError("NOT_FOUND", "This waiver version isn't published — reload to see the current one.");
  const current = currentWaiver(
    versions.filter((v) => documentOf(v) === documentOf(doc)),
    now,
  );
  if (current && doc.effectiveAt < current.effectiveAt)
    return new DomainError("VALIDATION_FAILED", `Version ${version} was replaced by ${current.version} — sign the current one.`, {
      fields: { version: "Replaced" },
    });
  return doc;
}
