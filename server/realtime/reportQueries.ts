/** The owner's reports (domain/protocol/reports.ts) as `gym:*` handlers over `app/reports/ownerReport.ts`. */
import type { MikroORM } from "@mikro-orm/core";
import { ownerReport } from "../../app/reports/ownerReport.js";
import type { OwnerReport, ReportRow } from "../../domain/reports/ownerReport.js";
import type { QueryPayload } from "../../domain/protocol/queries.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { csvField } from "../http/exports.js";
import { reportStore } from "../persistence/reportStore.js";
import type { GymQueryContext, InGym, QueryHandlers } from "./queryHandler.js";

const OwnerAdmin = ["owner", "admin"] as const;
const pct = (r: number | null) => (r === null ? "" : (r * 100).toFixed(1));
/** Lines of values as CSV text (each field defused against spreadsheet formulas). */
export const csv = (lines: unknown[][]): string => lines.map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
const rowsCsv = (first: string, rows: ReportRow[]) =>
  csv([[first, "sessions", "capacity", "spots_taken", "checked_in", "no_shows", "late_cancels", "waitlisted", "fill_rate_pct"], ...rows.map((r) => [r.label, r.sessions, r.capacity, r.taken, r.checkedIn, r.noShows, r.lateCancels, r.waitlisted, pct(r.fillRate)])]);

export function reportQueries(d: { orm: MikroORM; now: () => number; inGym: InGym; readAudit: ReadAudit }): QueryHandlers {
  const store = reportStore(d.orm);
  const report = async (c: GymQueryContext<unknown>, days: number | undefined): Promise<OwnerReport | null> => {
    const r = await ownerReport(store, c.gymId, d.now(), days ?? 90);
    // The at-risk list names members: a staff read of several people's data.
    if (r) await d.readAudit.record({ gymId: c.gymId, actorId: c.userId, action: "gym:ownerReport", entityType: "report", entityId: null, summary: { atRisk: r.atRisk.count }, commandId: c.commandId, at: d.now() });
    return r;
  };
  return {
    "gym:ownerReport": d.inGym<QueryPayload<"gym:ownerReport">>("gym:ownerReport", OwnerAdmin, (c) => report(c, c.payload.days)),
    "gym:ownerReportCsv": d.inGym<QueryPayload<"gym:ownerReportCsv">>("gym:ownerReportCsv", OwnerAdmin, async (c) => {
      const r = await report(c, c.payload.days);
      if (!r) return null;
      const t = c.payload.table;
      const body =
        t === "classTypes" ? rowsCsv("class_type", r.byClassType)
        : t === "hours" ? rowsCsv("hour", r.byHour)
        : t === "coaches" ? rowsCsv("coach", r.byCoach)
        : t === "cohorts" ? csv([["joined_month", "joined", "still_members", "retention_pct"], ...r.cohorts.map((c) => [c.month, c.joined, c.stayed, pct(c.retention)])])
        : t === "money" ? csv([["week", "sales_cents", "dues_cents", "fees_cents", "paid_cents"], ...r.moneyByWeek.map((w) => [w.week, w.salesCents, w.duesCents, w.feesCents, w.paidCents])])
        : csv([["name", "last_visit", "reason"], ...r.atRisk.members.map((m) => [m.name, m.lastVisitAt === null ? "" : new Date(m.lastVisitAt).toISOString(), m.reason])]);
      return { name: `${t}.csv`, csv: body, rows: body.split("\r\n").length - 2 };
    }),
  };
}
