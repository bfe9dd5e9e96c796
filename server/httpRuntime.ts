/**
 * The composition root's HTTP half: every route of a node, in the order they are tried — operator routes, the
 * check-in keys, sign-in, exports and the member import, account factors, the public trial form, then the two apps' static files.
 */
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { TokenVerifier } from "./auth.js";
import type { ReadAudit } from "./audit/readAudit.js";
import type { RateLimit, RateLimitStore } from "./cluster/rateLimit.js";
import type { StandingNotes } from "./cluster/standingNotes.js";
import type { Config } from "./config.js";
import type { Database } from "./db/orm.js";
import { clientAddress } from "./http/clientAddress.js";
import { addExportRoutes } from "./http/exports.js";
import { addFactorAccountRoutes } from "./http/factorAccountRoutes.js";
import { addFactorSignInRoutes } from "./http/factorSignInRoutes.js";
import { addImportRoutes } from "./http/importRoutes.js";
import { visitImportStore } from "./persistence/visitImportStore.js";
import { historyStore } from "./persistence/historyStore.js";
import { addPhotoRoutes } from "./http/photoRoutes.js";
import { memberPhotoStore } from "./persistence/memberPhotoStore.js";
import type { HttpLimits } from "./http/httpLimits.js";
import { addOperatorRoutes } from "./http/operatorRoutes.js";
import { json, Router } from "./http/router.js";
import { staticApp } from "./http/staticFiles.js";
import { addTrialRoutes } from "./http/trialRoutes.js";
import { inviteImported } from "../app/admin/importInvitations.js";
import { exportStore } from "./persistence/exportStore.js";
import { gymSignInSettings } from "./persistence/gymSignInSettings.js";
import { leadsChanged } from "./persistence/leadSink.js";
import { classImportStore } from "./persistence/classImportStore.js";
import { setupStore } from "./persistence/setupStore.js";
import { bookingImportStore } from "./persistence/bookingImportStore.js";
import { holdingImportStore } from "./persistence/holdingImportStore.js";
import { invitationNames, memberImportStore } from "./persistence/memberImportStore.js";
import { classCommands } from "./realtime/classCommands.js";
import { trialStore } from "./persistence/trialStore.js";
import { trialBookings } from "./realtime/trialBookings.js";
import type { RoomRegistry } from "../rooms/RoomRegistry.js";
import type { RoomRouter } from "../rooms/RoomRouter.js";
import type { Metrics } from "./metrics.js";
import type { AccessControl } from "./realtime/access.js";
import type { MemberCodes } from "./realtime/memberCodes.js";
import { redisAlive, type RedisClient } from "./redis.js";
import type { Factors } from "./signin/factorRuntime.js";
import type { SignInRuntime } from "./signInRuntime.js";

export interface HttpDeps {
  config: Config;
  db: Database;
  metrics: Metrics;
  /** Redis, when the node has it (the readiness probe pings it). */
  pub: RedisClient | undefined;
  codes: MemberCodes;
  access: AccessControl;
  verifier: TokenVerifier;
  httpLimits: HttpLimits;
  /** Budgets shared by every node (per scope). */
  sharedLimits: (scope: string, limit: RateLimit) => RateLimitStore;
  readAudit: ReadAudit;
  factors: Factors;
  signIn: SignInRuntime | undefined;
  /** Resident standings on every node: an import changes a gym's members in bulk, so they read the gym again. */
  rooms: { notes: Pick<StandingNotes, "invalidateGym" | "invalidateMember">; router: RoomRouter; registry: Pick<RoomRegistry, "tell"> };
  now: () => number;
  /** Absolute base URL for links handed out (the trial's confirmation mail). */
  publicUrl: () => string;
}

export function httpRoutes(d: HttpDeps): Router {
  const { config, db, now, factors, verifier, httpLimits: limits } = d;
  const sessions = d.signIn?.sessions;
  const router = new Router()
    .use(async (req) => {
      req.ip = clientAddress(req.ip, req.headers["x-forwarded-for"], config.TRUST_PROXY);
      return null;
    })
    .use((req) => limits.byAddress(req));
  addOperatorRoutes(router, {
    databaseAlive: () =>
      db.orm.em
        .fork()
        .getConnection()
        .execute("select 1")
        .then(
          () => true,
          () => false,
        ),
    databaseKind: db.target.kind === "postgres" ? "postgresql" : "pglite",
    metrics: d.metrics,
    nodeId: config.NODE_ID,
    metricsToken: config.METRICS_TOKEN,
    redisAlive: async () => (d.pub ? redisAlive(d.pub) : null),
  });
  // Public halves of the check-in signing keys (JWKS): an offline desk verifies members' codes with these alone.
  router.get("/api/checkin-keys.json", () => json(200, d.codes.publicKeys(now())));
  d.signIn?.addRoutes(router);
  if (sessions) addFactorSignInRoutes(router, { factors, sessions, now });
  addExportRoutes(router, { store: exportStore(db.orm), access: d.access, verifier, now, limits, readAudit: d.readAudit });
  addImportRoutes(router, {
    store: memberImportStore(db.orm),
    holdings: holdingImportStore(db.orm),
    visits: { reads: visitImportStore(db.orm), history: { store: historyStore(db.orm), newId: randomUUID } },
    bookings: { store: bookingImportStore(db.orm), classes: classCommands({ access: d.access, router: d.rooms.router, now }) },
    classes: {
      reads: classImportStore(db.orm),
      setup: {
        store: setupStore(db.orm),
        newId: randomUUID,
        live: {
          catalogChanged: async (gymId, change) =>
            void (await d.rooms.router.send(`gym:${gymId}`, { kind: "note", note: { type: "catalog", change } })),
          // Never asked by an import: only class types and classes change.
          policyChanged: async () => {},
          timeZoneChanged: async () => {},
        },
      },
    },
    access: d.access,
    verifier,
    now,
    limits,
    notes: { gymChanged: (gymId) => d.rooms.notes.invalidateGym(gymId) },
    commits: d.sharedLimits("import-commit", { rate: 1 / 60, burst: 10 }),
    invite: d.signIn ? inviteImported(invitationNames(db.orm), d.signIn.invitations) : undefined,
  });
  addPhotoRoutes(router, {
    photos: memberPhotoStore(db.orm),
    access: d.access,
    verifier,
    now,
    limits,
    // A photo is at most 512 KiB and replaces the last: a member may change theirs a few times an hour.
    selfUploads: d.sharedLimits("photo-self", { rate: 6 / 3_600, burst: 3 }),
    changed: (gymId, memberId) => {
      d.rooms.registry.tell(`gym:${gymId}`, { kind: "note", note: { type: "member", memberId } });
      d.rooms.registry.tell(`user:${memberId}`, { kind: "note", note: { type: "account", gymId } });
    },
  });
  // After the exports: its /api/gyms/* prefix routes take only the gym paths the exports do not serve.
  addFactorAccountRoutes(router, { factors, settings: gymSignInSettings(db.orm, factors.box), verifier, limits, now });
  // The public trial form: its own budgets (per address, per gym), on top of the per-address guard of every route.
  addTrialRoutes(router, {
    ports: {
      store: trialStore(db.orm),
      bookings: trialBookings({ access: d.access, router: d.rooms.router, now }),
      mail: d.signIn?.outbox ?? null,
      memberChanged: (gymId, memberId) => d.rooms.notes.invalidateMember(gymId, memberId),
      leadsChanged: (gymId) => leadsChanged(db.orm, gymId),
      newId: randomUUID,
      now,
      publicUrl: d.publicUrl,
    },
    perAddress: d.sharedLimits("trial-ip", { rate: 10 / 3_600, burst: 5 }),
    perGym: d.sharedLimits("trial-gym", { rate: 300 / 3_600, burst: 30 }),
  });
  // Below the API's own routes: any other /api path is a 404 in JSON, never the member app's page.
  const sourceMaps = config.SPOTTER_MODE === "embedded";
  return router
    .get("/api/*", () => json(404, { error: { code: "NOT_FOUND", message: "No such endpoint." } }))
    .get("/admin/*", staticApp(resolve("web-admin/dist"), "/admin", { sourceMaps }))
    .get("/*", staticApp(resolve("member-web/dist"), "", { sourceMaps }));
}
