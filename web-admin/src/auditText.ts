/**
 * Audit rows as sentences a manager reads ("Coach Carla Diaz cancelled Nia Chen's 07:00 Spin booking — fee waived")
 * instead of `class:cancelBooking` and raw ids. Pure: the audit screen renders, the unit test checks.
 */
import type { AuditEntry } from "./types.js";
import { formatTime, formatWhen } from "../../web/shared/format.js";
import { shortDate } from "../../domain/admin/members.js";

/** The audit filters staff pick from: a label per command (system rows filter by what changed). */
export const AuditActions: ReadonlyArray<{ action: string; label: string }> = [
  { action: "class:book", label: "Bookings made" },
  { action: "class:cancelBooking", label: "Bookings cancelled" },
  { action: "class:checkIn", label: "Class check-ins" },
  { action: "class:markNoShow", label: "No-shows marked" },
  { action: "class:setCapacity", label: "Capacity changes" },
  { action: "class:cancel", label: "Classes cancelled" },
  { action: "class:promote", label: "Waitlist promotions" },
  { action: "gym:checkIn", label: "Front-desk check-ins" },
  { action: "membership.unfrozen", label: "Freezes ended (automatic)" },
  { action: "dues.opened", label: "Dues opened (automatic)" },
  { action: "dues.skipped", label: "Dues not billed (automatic)" },
  { action: "gym:publishWaiver", label: "Waivers published" },
  { action: "gym:signWaiver", label: "Waivers signed" },
  { action: "schedule:createSession", label: "Classes scheduled" },
  { action: "gym:createChallenge", label: "Challenges posted" },
  { action: "gym:searchMembers", label: "Member searches" },
  { action: "gym:memberProfile", label: "Profiles opened" },
  { action: "export:members.csv", label: "Member list exports" },
];

const ROLE: Record<string, string> = { owner: "Owner", admin: "Admin", coach: "Coach", front_desk: "Front desk", member: "Member" };

type Fields = Record<string, unknown>;
const field = (o: Fields | null, k: string): unknown => (o ? o[k] : undefined);

/** "Coach Carla Diaz"; "Spotter (automatic)" for the system (room timers, jobs such as a freeze that ended). */
export function auditActor(r: AuditEntry): string {
  if (!r.actorId) return "Spotter (automatic)";
  const name = r.actorName ?? "Someone";
  return r.role && r.role !== "member" && ROLE[r.role] ? `${ROLE[r.role]} ${name}` : name;
}

/** One sentence for an audit row, in the gym's time zone. */
export function auditSentence(r: AuditEntry, timeZone: string): string {
  const who = auditActor(r);
  const before = r.summary.before;
  const after = r.summary.after;
  const self = r.actorId !== null && r.subjectName != null && r.actorName === r.subjectName;
  const member = r.subjectName ?? "a member";
  const owner = self ? "their" : `${member}'s`;
  const cls = r.className ? `${r.startsAt ? `${formatTime(r.startsAt, timeZone)} ` : ""}${r.className}` : "class";
  const fee =
    field(after, "waived") === true
      ? " — fee waived"
      : field(after, "kind") === "late_cancel"
        ? " — late-cancel fee"
        : field(after, "status") === "late_cancelled"
          ? " — late cancel"
          : "";
  switch (r.action) {
    case "class:book":
      return r.entityType === "waitlist_entry"
        ? `${who} put ${self ? "themselves" : member} on the ${cls} waitlist`
        : `${who} booked ${self ? "the" : `${member} into the`} ${cls}`;
    case "class:joinWaitlist":
      return `${who} joined ${self ? "" : `${member} to `}the ${cls} waitlist`.replace("  ", " ");
    case "class:leaveWaitlist":
      return `${who} took ${self ? "themselves" : member} off the ${cls} waitlist`;
    case "class:cancelBooking":
      return `${who} cancelled ${owner} ${cls} booking${fee}`;
    case "class:checkIn":
    case "gym:checkIn":
      if (field(after, "override"))
        return `${who} checked ${member} in despite "${String(field(after, "reason") ?? "")
          .toLowerCase()
          .replaceAll("_", " ")}" — reason: ${String(field(after, "override"))}`;
      return field(after, "result") === "denied"
        ? `${who}: check-in of ${member}${r.className ? ` for the ${cls}` : ""} was refused (${String(field(after, "reason") ?? "no reason")
            .toLowerCase()
            .replaceAll("_", " ")})`
        : `${who} checked ${self ? "in" : `${member} in`}${r.className ? ` to the ${cls}` : ""}`;
    case "class:undoCheckIn":
      return `${who} undid ${owner} check-in to the ${cls}`;
    case "class:markNoShow":
      return `${who} marked ${member} as a no-show for the ${cls}${fee}`;
    case "class:promote":
      return `${who} moved ${member} from the waitlist into the ${cls}`;
    case "class:setCapacity":
      return `${who} changed the ${cls} capacity from ${String(field(before, "capacity") ?? "?")} to ${String(field(after, "capacity") ?? "?")}`;
    case "class:cancel":
      return `${who} cancelled the ${cls}`;
    case "gym:memberProfile":
      return `${who} opened ${member}'s profile`;
    case "gym:searchMembers":
      return `${who} searched the member list`;
    case "export:members.csv":
      return `${who} exported the member list (CSV)`;
    case "schedule:createSession":
      return `${who} scheduled ${r.className ? `the ${cls}` : "a class"}${r.startsAt ? ` on ${formatWhen(r.startsAt, timeZone)}` : ""}`;
    case "gym:publishWaiver":
      return `${who} published waiver version ${String(field(after, "version") ?? "")}, applying from ${String(field(after, "effectiveOn") ?? "")}`;
    case "gym:signWaiver":
      return `${who} signed waiver version ${String(field(after, "version") ?? "")}`;
    case "gym:createChallenge":
      return `${who} posted the challenge "${String(field(after, "title") ?? "")}"`;
    case "booking.updated":
      return `${who} updated ${owner} ${cls} booking to ${String(field(after, "status") ?? "").replaceAll("_", " ")}${fee}`;
    case "fee.charged":
      return `${who} charged ${member} a ${String(field(after, "kind") ?? "").replaceAll("_", " ")} fee for the ${cls}`;
    case "membership.unfrozen":
      return `${who} unfroze ${member}'s membership — the freeze ended on ${shortDate(String(field(before, "frozenUntil") ?? ""))}`;
    case "dues.opened":
    case "dues.skipped": {
      const period = `${shortDate(String(field(after, "startsOn") ?? ""))} – ${shortDate(String(field(after, "endsOn") ?? ""))}`;
      if (r.action === "dues.opened") return `${who} opened ${owner} dues for ${period}`;
      const why = field(after, "reason") === "frozen" ? "frozen on its first day" : String(field(after, "reason") ?? "");
      return `${who} billed no dues to ${member} for ${period} — membership ${why}`;
    }
    case "fee.waived":
      return `${who} waived ${owner} fee for the ${cls}`;
    default: {
      const what =
        AuditActions.find((a) => a.action === r.action)?.label ??
        r.action
          .replace(/^[a-z]+:/, "")
          .replace(/([A-Z])/g, " $1")
          .replaceAll(/[._]/g, " ")
          .toLowerCase();
      return `${who}: ${what}${r.subjectName ? ` — ${r.subjectName}` : ""}${r.className ? ` — ${cls}` : ""}`;
    }
  }
}
