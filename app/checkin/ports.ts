/** What the desk screen's presence code and the self check-in setting need (issue 14 item 8). */
import type { Clock } from "../requestContext.js";

export interface SelfCheckInSettings {
  enabled(gymId: string): Promise<boolean>;
  /** Sets it and audits the change in the same transaction. */
  set(gymId: string, enabled: boolean, by: { actorId: string; commandId: string | null; at: number }): Promise<void>;
}

/** The desk screen's rotating presence code (6 digits, new every 30 s). */
export interface PresenceCodeSource {
  current(gymId: string, now: number): { code: string; changesAt: number; validUntil: number };
}

export interface CheckInPorts {
  settings: SelfCheckInSettings;
  presence: PresenceCodeSource;
  now: Clock;
}
