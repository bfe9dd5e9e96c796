import { timingSafeEqual } from "node:crypto";
import type { Metrics } from "../metrics.js";
import { json, type HttpRequest, type Router } from "./router.js";

export interface OperatorDeps {
  /** The database answers `select 1`. */
  databaseAlive: () => Promise<boolean>;
  databaseKind: "postgresql" | "pglite";
  metrics: Metrics;
  nodeId: string;
  /** `METRICS_TOKEN`: unset turns /metrics off. */
  metricsToken: string | undefined;
  /** Redis answers PING; null when no Redis is configured. */
  redisAlive: () => Promise<boolean | null>;
}

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). */
function isOperator(req: HttpRequest, token: string | undefined): boolean {
  const header = req.headers.authorization ?? "";
  if (!token || !header.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `/health`, `/ready` and `/metrics`. Anonymous callers learn only up/ready; the node id and the database kind
 * need the metrics token (the node id once keyed check-in codes, and names the host and PID). Metrics need it
 * always: booking and check-in volume by type is the gym's business.
 */
export function addOperatorRoutes(router: Router, d: OperatorDeps): void {
  router
    .get("/health", (req) => json(200, isOperator(req, d.metricsToken) ? { status: "ok", node: d.nodeId } : { status: "ok" }))
    .get("/ready", async (req) => {
      const database = await d.databaseAlive();
      const redis = await d.redisAlive();
      const ready = database && redis !== false;
      const body = {
        ready,
        database: { ok: database },
        redis: redis === null ? { ok: true, configured: false } : { ok: redis, configured: true },
      };
      if (!isOperator(req, d.metricsToken)) return json(ready ? 200 : 503, body);
      return json(ready ? 200 : 503, { ...body, node: d.nodeId, database: { ok: database, kind: d.databaseKind } });
    })
    .get("/metrics", async (req) => {
      if (!d.metricsToken)
        return json(404, { error: { code: "NOT_FOUND", message: "Metrics are off: set METRICS_TOKEN and send it as a bearer token." } });
      if (!isOperator(req, d.metricsToken))
        return json(
          401,
          { error: { code: "UNAUTHENTICATED", message: "Metrics need the METRICS_TOKEN as a bearer token." } },
          { "www-authenticate": "Bearer" },
        );
      return {
        status: 200,
        headers: { "content-type": d.metrics.registry.contentType, "cache-control": "no-store" },
        body: await d.metrics.registry.metrics(),
      };
    });
}
