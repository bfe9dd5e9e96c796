/** Members' privacy rights: consents, deletion requests and legal holds (see docs/security.md "Privacy rights"). */

/** What a member can consent to. Terms and privacy policy are required for booking when the gym sets a version. */
export const ConsentKinds = ["terms", "privacy", "marketing"] as const;
export type ConsentKind = (typeof ConsentKinds)[number];

/** Consents a gym can require before booking (marketing is never required). */
export const RequiredConsentKinds = ["terms", "privacy"] as const satisfies readonly ConsentKind[];
export type RequiredConsentKind = (typeof RequiredConsentKinds)[number];

/** A gym's current policy versions; a kind without a version requires nothing. */
export type RequiredConsents = Partial<Record<RequiredConsentKind, string>>;

/** One accepted policy version. Insert-only: a new version is a new row. */
export interface Consent {
  id: string;
  userId: string;
  kind: ConsentKind;
  version: string;
  acceptedAt: number;
}

/** A member's request to be forgotten; `approvedAt` once staff approved it and the data was anonymized. */
export interface DeletionRequest {
  id: string;
  userId: string;
  requestedAt: number;
  approvedAt: number | null;
  approvedBy: string | null;
  approvedGymId: string | null;
}

/** A gym's legal hold on a member's data (e.g. an open dispute); while `active`, deletion is refused. */
export interface LegalHold {
  id: string;
  gymId: string;
  userId: string;
  active: boolean;
  reason: string;
  setBy: string;
  setAt: number;
}

/** What a member's personal fields become once their deletion is approved. */
export const anonymizedUser = (userId: string) => ({
  name: "Deleted member",
  email: `deleted-${userId}@deleted.invalid`,
  phone: null,
  visible: false,
  birthday: null,
  emergencyContact: "",
});

/**
 * The required kinds whose current version the member has not accepted (empty when nothing is required).
 * @example missingConsents({ terms: "2" }, [{ kind: "terms", version: "1" }]) // ["terms"]
 */
export function missingConsents(
  required: RequiredConsents | undefined,
  accepted: readonly Pick<Consent, "kind" | "version">[],
): RequiredConsentKind[] {
  if (!required) return [];
  return RequiredConsentKinds.filter((kind) => {
    const version = required[kind];
    return version !== undefined && !accepted.some((c) => c.kind === kind && c.version === version);
  });
}
