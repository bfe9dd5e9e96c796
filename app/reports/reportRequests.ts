/** The owner's reports (domain/protocol/reports.ts) as the dispatch table calls them: the report, or one table as CSV. */
import { csv } from "../../domain/export/csv.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import type { OwnerReport, ReportRow } from "../../domain/reports/ownerReport.js";
import type { Clock, GymRequest, StaffReadLog } from "../requestContext.js";
import { ownerReport as compute, type ReportStore } from "./ownerReport.js";

export interface ReportPorts {
  store: ReportStore;
  readAudit: StaffReadLog;
  now: Clock;
}

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

const pct = (r: number | null) => (r === null ? "" : (r * 100).toFixed(1));
const rowsCsv = (first: string, rows: ReportRow[]) =>
  csv([
    [first, "sessions", "capacity", "spots_taken", "checked_in", "no_shows", "late_cancels", "waitlisted", "fill_rate_pct"],
    ...rows.map((r) => [r.label, r.sessions, r.capacity, r.taken, r.checkedIn, r.noShows, r.lateCancels, r.waitlisted, pct(r.fillRate)]),
  ]);

async function report(p: ReportPorts, c: GymRequest<unknown>, days: number | undefined): Promise<OwnerReport | null> {
  const r = await compute(p.store, c.gymId, p.now(), days ?? 90);
  // The at-risk list names members: a staff read of several people's data.
  if (r)
    await p.readAudit.record({
      gymId: c.gymId,
      actorId: c.userId,
      action: "gym:ownerReport",
      entityType: "report",
      entityId: null,
      summary: { atRisk: r.atRisk.count },
      commandId: c.commandId,
      at: p.now(),
    });
  return r;
}

/**
 * The report; `watch: true` subscribes first, so a visit committed in between still arrives as `report:changed`.
 * `watch: false` only stops the frames (a screen closing): nothing is computed or read, the answer is `{ watching: false }`.
 */
export async function ownerReport(p: ReportPorts, c: In<"gym:ownerReport">): Promise<OwnerReport | { watching: false } | null> {
  if (c.payload.watch === false) {
    c.live?.unwatchReport(c.gymId);
    return { watching: false };
  }
  if (c.payload.watch === true) c.live?.watchReport(c.gymId);
  return report(p, c, c.payload.days);
}

/** One table of the report as CSV (audited as the report). */
export async function ownerReportCsv(p: ReportPorts, c: In<"gym:ownerReportCsv">) {
  const r = await report(p, c, c.payload.days);
  if (!r) return null;
  const t = c.payload.table;
  const body =
    t === "classTypes"
      ? rowsCsv("class_type", r.byClassType)
      : t === "hours"
        ? rowsCsv("hour", r.byHour)
        : t === "coaches"
          ? rowsCsv("coach", r.byCoach)
          : t === "cohorts"
            ? csv([
                ["joined_month", "joined", "still_members", "retention_pct"],
                ...r.cohorts.map((c) => [c.month, c.joined, c.stayed, pct(c.retention)]),
              ])
            : t === "kpis"
              ? csv([
                  [
                    "day",
                    "visits",
                    "bookings",
                    "no_shows",
                    "late_cancels",
                    "joined",
                    "leads",
                    "sales_cents",
                    "fees_cents",
                    "active_members",
                  ],
                  ...r.kpi.map((d) => [
                    d.day,
                    d.visits,
                    d.bookings,
                    d.noShows,
                    d.lateCancels,
                    d.joined,
                    d.leads,
                    d.salesCents,
                    d.feesCents,
                    d.activeMembers ?? "",
                  ]),
                ])
              : t === "money"
                ? csv([
                    ["week", "sales_cents", "dues_cents", "fees_cents", "paid_cents"],
                    ...r.moneyByWeek.map((w) => [w.week, w.salesCents, w.duesCents, w.feesCents, w.paidCents]),
                  ])
                : csv([
                    ["name", "last_visit", "reason"],
                    ...r.atRisk.members.map((m) => [m.name, m.lastVisitAt === null ? "" : new Date(m.lastVisitAt).toISOString(), m.reason]),
                  ]);
  return { name: `${t}.csv`, csv: body, rows: body.split("\r\n").length - 2 };
}
