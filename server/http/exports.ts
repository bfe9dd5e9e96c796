import type { MikroORM } from "@mikro-orm/core";
import { csvField } from "../../domain/export/csv.js";
import { ExportRoles, seesMoney } from "../../domain/roles.js";
import type { TokenVerifier } from "../auth.js";
import { BookingEntity, CalendarFeedEntity, ClassSessionEntity, ClassTypeEntity, GymEntity, LocationEntity } from "../db/entities/index.js";
import { exportUserJson } from "../persistence/privacyStore.js";
import type { AccessControl } from "../realtime/access.js";
import type { HttpLimits } from "./httpLimits.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { json, type HttpHandler, type HttpRequest, type Router } from "./router.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { csvField };

const csv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";

function icsEscape(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

const icsTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export interface ExportDeps {
  orm: MikroORM;
  access: AccessControl;
  verifier: TokenVerifier;
  now: () => number;
  /** Per-user budgets, spent once the token is verified. */
  limits: HttpLimits;
  /** Exports of members' personal data are audited (issue 14 item 6). */
  readAudit?: ReadAudit;
}

/** Staff CSV exports (bearer header, owner/admin/front desk of that gym) and members' private iCal feeds. */
export function addExportRoutes(router: Router, d: ExportDeps): void {
  const staffOnly =
    (run: (gymId: string, req: HttpRequest, role: string) => Promise<{ name: string; body: string; rows: number } | null>): HttpHandler =>
    async (req) => {
      const [, , , gymId] = req.path.split("/");
      if (!gymId || !UUID.test(gymId)) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
      // Bearer header only: a `?token=` would end up in proxy logs and browser history (it is ignored).
      const header = req.headers.authorization ?? "";
      const who = await d.verifier.verify(header.startsWith("Bearer ") ? header.slice(7) : undefined);
      if (!who.ok) return json(401, { error: { code: who.code, message: who.message } });
      const limited = await d.limits.byUser(who.identity.userId);
      if (limited) return limited;
      const m = await d.access.membership(who.identity.userId, gymId);
      if (!m) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
      if (!(ExportRoles as readonly string[]).includes(m.role) || m.status !== "active")
        return json(403, { error: { code: "FORBIDDEN", message: "Only owners, admins and the front desk can export." } });
      const file = await run(gymId, req, m.role);
      if (!file) return json(404, { error: { code: "NOT_FOUND", message: "No such export." } });
      await d.readAudit?.record({ gymId, actorId: who.identity.userId, action: `export:${file.name}`, entityType: "export", entityId: file.name, summary: { rows: file.rows }, commandId: null, at: d.now() });
      return {
        status: 200,
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${file.name}"`, "cache-control": "no-store" },
        body: file.body,
      };
    };

  router.get(
    "/api/gyms/*",
    staffOnly(async (gymId, req, role) => {
      const conn = d.orm.em.fork().getConnection();
      if (req.path.endsWith("/members.csv")) {
        const rows: Record<string, unknown>[] = await conn.execute(
          `select u.name, u.email, u.phone, m.role, m.status, p.name as plan, m.credits, m.joined_at
           from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id
           where m.gym_id = ? order by u.name`,
          [gymId],
        );
        // The front desk sees no plans or credits (money), as in the staff app.
        const money = seesMoney(role);
        const body = csv(
          ["name", "email", "phone", "role", "status", ...(money ? ["plan", "credits"] : []), "joined_at"],
          rows.map((r) => [r.name, r.email, r.phone, r.role, r.status, ...(money ? [r.plan, r.credits] : []), new Date(r.joined_at as string).toISOString()]),
        );
        return { name: "members.csv", body, rows: rows.length };
      }
      if (req.path.endsWith("/attendance.csv")) {
        const rows: Record<string, unknown>[] = await conn.execute(
          `select s.starts_at, t.name as class_name, u.name, u.email, b.status
           from booking b join class_session s on s.id = b.session_id join class_type t on t.id = s.class_type_id join app_user u on u.id = b.member_id
           where b.gym_id = ? and s.starts_at < ? and b.status in ('checked_in', 'no_show', 'booked', 'late_cancelled')
           order by s.starts_at desc limit 100000`,
          [gymId, new Date(d.now())],
        );
        const body = csv(
          ["class_start", "class", "member", "email", "status"],
          rows.map((r) => [new Date(r.starts_at as string).toISOString(), r.class_name, r.name, r.email, r.status]),
        );
        return { name: "attendance.csv", body, rows: rows.length };
      }
      return null;
    }),
  );

  // A member's own data (GDPR access/portability). Bearer header only: a token in the URL would end up in logs.
  router.get("/api/me/export.json", async (req) => {
    const header = req.headers.authorization ?? "";
    const who = await d.verifier.verify(header.startsWith("Bearer ") ? header.slice(7) : undefined);
    if (!who.ok) return json(401, { error: { code: who.code, message: who.message } });
    const limited = await d.limits.byUser(who.identity.userId);
    if (limited) return limited;
    const body = await exportUserJson(d.orm, who.identity.userId, d.now());
    if (body === null) return json(404, { error: { code: "NOT_FOUND", message: "No account for this sign-in." } });
    return {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-disposition": 'attachment; filename="my-spotter-data.json"' },
      body,
    };
  });

  router.get("/ical/*", async (req) => {
    const match = /^\/ical\/([A-Za-z0-9_-]{16,64})\.ics$/.exec(req.path);
    if (!match) return json(404, { error: { code: "NOT_FOUND", message: "No such calendar." } });
    const em = d.orm.em.fork();
    const feed = await em.findOne(CalendarFeedEntity, { token: match[1]! });
    if (!feed) return json(404, { error: { code: "NOT_FOUND", message: "No such calendar (it may have been revoked)." } });
    const now = d.now();
    const bookings = await em.find(BookingEntity, { memberId: feed.userId, status: { $in: ["booked", "checked_in"] } }, { limit: 500 });
    const sessions = bookings.length
      ? await em.find(ClassSessionEntity, { id: { $in: bookings.map((b) => b.sessionId) }, startsAt: { $gte: now - 30 * 86_400_000 } })
      : [];
    const gymIds = [...new Set(sessions.map((s) => s.gymId))];
    const [types, locations, gyms] = gymIds.length
      ? await Promise.all([em.find(ClassTypeEntity, { gymId: { $in: gymIds } }), em.find(LocationEntity, { gymId: { $in: gymIds } }), em.find(GymEntity, { id: { $in: gymIds } })])
      : [[], [], []];
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Spotter//Bookings//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:My classes"];
    for (const s of sessions) {
      const b = bookings.find((x) => x.sessionId === s.id)!;
      const type = types.find((t) => t.id === s.classTypeId)?.name ?? "Class";
      const where = [locations.find((l) => l.id === s.locationId)?.name, gyms.find((g) => g.id === s.gymId)?.name].filter(Boolean).join(", ");
      lines.push(
        "BEGIN:VEVENT", `UID:${b.id}@spotter`, `DTSTAMP:${icsTime(now)}`, `DTSTART:${icsTime(s.startsAt)}`, `DTEND:${icsTime(s.endsAt)}`,
        `SUMMARY:${icsEscape(type)}`, `LOCATION:${icsEscape(where)}`, `STATUS:${s.status === "cancelled" ? "CANCELLED" : "CONFIRMED"}`, "END:VEVENT",
      );
    }
    lines.push("END:VCALENDAR");
    return { status: 200, headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "no-store" }, body: lines.join("\r\n") + "\r\n" };
  });
}
