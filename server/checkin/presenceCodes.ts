import { createHmac, timingSafeEqual } from "node:crypto";
import type { Presence } from "../../domain/checkin/selfCheckIn.js";

/** A presence code changes this often; the one before the current is still accepted (a code is good for up to twice this). */
export const PRESENCE_WINDOW_MS = 30_000;

/**
 * The 6-digit code a gym's desk screen shows, proving a member who types it is in the gym: HMAC-SHA256 of
 * the gym and the 30-second window under a secret every node derives from the check-in signing key.
 */
export class PresenceCodes {
  constructor(private readonly secret: Buffer) {}

  private codeAt(gymId: string, window: number): string {
    const mac = createHmac("sha256", this.secret).update(`${gymId.toLowerCase()}.${window}`).digest();
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, "0");
  }

  /** The code to show now, and when the next one replaces it. */
  current(gymId: string, now: number): { code: string; changesAt: number; validUntil: number } {
    const window = Math.floor(now / PRESENCE_WINDOW_MS);
    return {
      code: this.codeAt(gymId, window),
      changesAt: (window + 1) * PRESENCE_WINDOW_MS,
      validUntil: (window + 2) * PRESENCE_WINDOW_MS,
    };
  }

  /** Whether `code` is this window's or the previous window's code of the gym. */
  check(gymId: string, code: string | undefined, now: number): Presence {
    if (code === undefined) return "missing";
    const window = Math.floor(now / PRESENCE_WINDOW_MS);
    const given = Buffer.from(code);
    for (const w of [window, window - 1]) {
      const expected = Buffer.from(this.codeAt(gymId, w));
      if (given.length === expected.length && timingSafeEqual(given, expected)) return "valid";
    }
    return "invalid";
  }
}
