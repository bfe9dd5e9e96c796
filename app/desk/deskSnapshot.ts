/**
 * `gym:deskSnapshot` (issue 21): what a front desk keeps on the device to decide check-ins while offline —
 * today's and tomorrow's sessions with rosters, the gym's members (display name, status, plan; no photo or
 * contact details), the desk rules and the public keys of member codes. Staff only; audited as a read of many
 * people's data (counts only).
 */
import { waiverStanding } from "../../domain/admin/waivers.js";
import { DefaultDeskRules } from "../../domain/checkin/deskDecision.js";
import type { DeskSnapshot, SnapshotMember, SnapshotSession } from "../../domain/checkin/deskSnapshot.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import type { GymPolicy } from "../../domain/model.js";
import type { Clock, GymRequest, StaffReadLog } from "../requestContext.js";

const DAY = 86_400_000;

export interface DeskSnapshotReads {
  /** The gym's time zone and its waiver setting with the published versions. */
  gym(gymId: string): Promise<{ timeZone: string } & Pick<GymPolicy, "waiverRequired" | "waiverVersions">>;
  /** The gym's members by name (at most `max`), with their open-gym visit since `openSince` and the waiver versions they signed. */
  members(gymId: string, openSince: number, max: number): Promise<SnapshotMember[]>;
  /** The gym's sessions starting in [from, until), with their live rosters. */
  sessions(gymId: string, from: number, until: number): Promise<SnapshotSession[]>;
}

export interface DeskSnapshotPorts {
  reads: DeskSnapshotReads;
  /** Public halves of the member-code signing keys. */
  codeKeys(now: number): { kid: string; x: string }[];
  readAudit: StaffReadLog;
  now: Clock;
}

/** At most this many members go to a desk (a gym larger than this needs paging first). */
const MAX_MEMBERS = 20_000;

export async function deskSnapshot(p: DeskSnapshotPorts, c: GymRequest<unknown>): Promise<DeskSnapshot> {
  const now = p.now();
  const { timeZone, waiverRequired, waiverVersions } = await p.reads.gym(c.gymId);
  const today = localDate(now, timeZone);
  const sessionsFrom = startOfLocalDay(today, timeZone);
  const sessionsUntil = startOfLocalDay(addDays(today, 2), timeZone);
  const [members, sessions] = await Promise.all([
    p.reads.members(c.gymId, now - DAY, MAX_MEMBERS),
    p.reads.sessions(c.gymId, sessionsFrom, sessionsUntil),
  ]);
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:deskSnapshot",
    entityType: "desk_snapshot",
    entityId: null,
    summary: { members: members.length },
    commandId: c.commandId,
    at: now,
  });
  // Waivers as the gym room decides them: only a published version that requires acceptance (its own setting, else the
  // gym's default) refuses anyone.
  const versions = waiverVersions ?? [];
  const waiver = waiverStanding({ waiverRequired, waiverVersions: versions }, [])
    ? { required: waiverRequired ?? ("off" as const), versions }
    : null;
  const listed = new Set(versions.map((v) => v.version));
  const kept = members.map(({ signedWaivers, ...m }) =>
    waiver ? { ...m, signedWaivers: (signedWaivers ?? []).filter((v) => listed.has(v)) } : m,
  );
  return {
    gymId: c.gymId,
    takenAt: now,
    rules: DefaultDeskRules,
    keys: p.codeKeys(now),
    members: kept,
    sessions,
    sessionsFrom,
    sessionsUntil,
    ...(waiver ? { waiver } : {}),
  };
}
