import { calendarFeed, staffExport, StaffExports, type ExportFile, type StaffExport } from "../../app/exports/exports.js";
import type { ExportStore } from "../../app/exports/ports.js";
import { csvField } from "../../domain/export/csv.js";
import { ExportRoles } from "../../domain/roles.js";
import type { TokenVerifier } from "../auth.js";
import type { AccessControl } from "../realtime/access.js";
import type { HttpLimits } from "./httpLimits.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { json, type HttpHandler, type HttpRequest, type Router } from "./router.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { csvField };

export interface ExportDeps {
  store: ExportStore;
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
    (run: (gymId: string, req: HttpRequest, role: string) => Promise<ExportFile | null>): HttpHandler =>
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
      await d.readAudit?.record({
        gymId,
        actorId: who.identity.userId,
        action: `export:${file.name}`,
        entityType: "export",
        entityId: file.name,
        summary: { rows: file.rows },
        commandId: null,
        at: d.now(),
      });
      return {
        status: 200,
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${file.name}"`,
          "cache-control": "no-store",
        },
        body: file.body,
      };
    };

  router.get(
    "/api/gyms/*",
    staffOnly(async (gymId, req, role) => {
      const name = req.path.slice(req.path.lastIndexOf("/") + 1);
      return (StaffExports as readonly string[]).includes(name) ? staffExport(d.store, gymId, name as StaffExport, role, d.now()) : null;
    }),
  );

  // A member's own data (GDPR access/portability). Bearer header only: a token in the URL would end up in logs.
  router.get("/api/me/export.json", async (req) => {
    const header = req.headers.authorization ?? "";
    const who = await d.verifier.verify(header.startsWith("Bearer ") ? header.slice(7) : undefined);
    if (!who.ok) return json(401, { error: { code: who.code, message: who.message } });
    const limited = await d.limits.byUser(who.identity.userId);
    if (limited) return limited;
    const body = await d.store.userData(who.identity.userId, d.now());
    if (body === null) return json(404, { error: { code: "NOT_FOUND", message: "No account for this sign-in." } });
    return {
      status: 200,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        "content-disposition": 'attachment; filename="my-spotter-data.json"',
      },
      body,
    };
  });

  router.get("/ical/*", async (req) => {
    const match = /^\/ical\/([A-Za-z0-9_-]{16,64})\.ics$/.exec(req.path);
    if (!match) return json(404, { error: { code: "NOT_FOUND", message: "No such calendar." } });
    const body = await calendarFeed(d.store, match[1]!, d.now());
    if (body === null) return json(404, { error: { code: "NOT_FOUND", message: "No such calendar (it may have been revoked)." } });
    return { status: 200, headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "no-store" }, body };
  });
}
