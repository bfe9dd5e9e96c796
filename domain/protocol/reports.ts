/** The owner's reports (issue 22) on room `gym:<gymId>`: owners and admins; the at-risk list is an audited staff read. */
import { z } from "zod";

const Days = z.int().min(7).max(730);

/** The tables of the owner's report, each downloadable as CSV. */
export const ReportTables = ["classTypes", "hours", "coaches", "atRisk", "cohorts", "money", "kpis"] as const;

export const ReportSchemas = {
  /**
   * The last `days` days (default 90): attendance, fill rate and waitlist demand by class type, gym-local hour and
   * coach; no-show and late-cancel rates; trial conversion; retention by join month; money by week; members at risk now
   * with the reason; the daily KPI snapshots of the period with today live (`kpi`) → `OwnerReport`. `watch: true` also
   * sends this socket `report:changed` after a visit of the gym commits (`false` stops it).
   */
  "gym:ownerReport": z.strictObject({ days: Days.optional(), watch: z.boolean().optional() }),
  /** One table of the report as CSV → `{ name, csv, rows }`. */
  "gym:ownerReportCsv": z.strictObject({ days: Days.optional(), table: z.enum(ReportTables) }),
} as const;
