/** What the privacy requests (export, consent, deletion, legal holds) need; `server/persistence/privacyRequestStore.ts` implements it. */
import type { DomainError } from "../../domain/errors.js";
import type { ConsentKind } from "../../domain/privacy.js";
import type { RevocationAnnouncer } from "../access/ports.js";
import type { Clock } from "../requestContext.js";

export interface PrivacyStore {
  /** Everything stored about the user, or "too_large" for the socket (the HTTP export streams it). */
  exportData(userId: string, now: number): Promise<Record<string, unknown> | "too_large" | null>;
  /** Asking again answers the first request. */
  requestDeletion(userId: string, now: number): Promise<{ requestedAt: number; status: string }>;
  recordConsent(
    userId: string,
    kind: ConsentKind,
    version: string,
    now: number,
  ): Promise<{ kind: ConsentKind; version: string; acceptedAt: number }>;
  /** Anonymizes the member in one audited transaction; refused under a legal hold. */
  approveDeletion(
    gymId: string,
    memberId: string,
    actorId: string,
    now: number,
  ): Promise<{ memberId: string; approvedAt: number; alreadyDone: boolean } | DomainError>;
  setLegalHold(
    gymId: string,
    memberId: string,
    hold: boolean,
    reason: string,
    actorId: string,
    now: number,
  ): Promise<{ memberId: string; hold: boolean; reason: string }>;
  /** Whether the user holds a membership (any status) in the gym. */
  isMember(gymId: string, userId: string): Promise<boolean>;
}

export interface PrivacyPorts {
  store: PrivacyStore;
  now: Clock;
  /** A user's consents or profile changed: resident standings (on every node) read them again. */
  userChanged: (userId: string) => void;
  /** A member's personal data was anonymized: live rooms (on every node) stop showing it. */
  anonymized: (memberId: string) => void;
  announce: RevocationAnnouncer;
}
