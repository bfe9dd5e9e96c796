/**
 * The sign-in factor routes under generated hostile JSON (fast-check): wrong types, missing and extra fields,
 * `__proto__` keys, huge strings, bodies that are not objects or not JSON, with and without the app header and a
 * bearer token. Every answer is a JSON refusal with a stable code (or a success a valid-looking body earned) — never
 * a 5xx, never a secret sent echoed back — and the node keeps serving. Refused requests leave the credentials alone.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";

/** A secret-looking value the generators plant in password, code and secret fields: it must never come back. */
const MARKER = "hunter2-Marker-7Qx";

const ErrorCodes = [
  "VALIDATION_FAILED",
  "INVALID_CREDENTIALS",
  "CHALLENGE_EXPIRED",
  "RATE_LIMITED",
  "WEAK_PASSWORD",
  "METHOD_DISABLED",
  "ALREADY_SET_UP",
  "NOT_FOUND",
  "LIMIT_EXCEEDED",
  "UNAVAILABLE",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "TOKEN_EXPIRED",
  "TOKEN_INVALID",
  "INVITATION_INVALID",
  "CROSS_SITE",
  "PAYLOAD_TOO_LARGE",
];

interface Route {
  path: (gymId: string) => string;
  /** The fields a valid body has (the generators use these names with wrong values). */
  fields: string[];
  /** Who calls it: nobody (a sign-in), a member, or the gym's owner (bearer token). */
  as: "anonymous" | "member" | "owner";
}

const Routes: Route[] = [
  { path: () => "/api/auth/passkey/verify", fields: ["challengeId", "response"], as: "anonymous" },
  { path: () => "/api/auth/password", fields: ["gymId", "email", "password"], as: "anonymous" },
  { path: () => "/api/auth/second-factor/totp", fields: ["ticket", "code"], as: "anonymous" },
  { path: () => "/api/auth/second-factor/setup", fields: ["ticket"], as: "anonymous" },
  { path: () => "/api/auth/second-factor/setup/confirm", fields: ["ticket", "code"], as: "anonymous" },
  { path: () => "/api/auth/second-factor/passkey/options", fields: ["ticket"], as: "anonymous" },
  { path: () => "/api/auth/second-factor/passkey", fields: ["ticket", "challengeId", "response"], as: "anonymous" },
  { path: () => "/api/auth/invitation", fields: ["token"], as: "anonymous" },
  { path: () => "/api/auth/invitation/accept", fields: ["token", "name"], as: "anonymous" },
  { path: () => "/api/auth/sign-up", fields: ["gymId", "email", "acceptPolicies"], as: "anonymous" },
  { path: () => "/api/auth/passkeys", fields: ["challengeId", "response", "name"], as: "member" },
  { path: () => "/api/auth/passkeys/remove", fields: ["id"], as: "member" },
  { path: () => "/api/auth/totp/confirm", fields: ["code"], as: "member" },
  { path: () => "/api/auth/totp/remove", fields: ["code"], as: "member" },
  { path: () => "/api/auth/password/set", fields: ["password"], as: "member" },
  { path: (g) => `/api/gyms/${g}/sign-in-policy`, fields: ["passwordsAllowed", "staffSecondFactor"], as: "owner" },
  {
    path: (g) => `/api/gyms/${g}/identity-provider`,
    fields: ["provider", "issuer", "clientId", "clientSecret", "displayName"],
    as: "owner",
  },
];

/** A hostile value: any JSON, a planted secret, a huge string, a deep nest, a number where text belongs. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(MARKER),
  fc.constant(`${MARKER}${"x".repeat(70_000)}`.slice(0, 60_000)),
  fc.constant(JSON.parse(`${"[".repeat(200)}${"]".repeat(200)}`) as unknown),
  fc.integer(),
  fc.constantFrom(null, true, "", "0".repeat(6), "00000000-0000-4000-8000-000000000000"),
);

/** A body: an object with the route's field names (and prototype keys) holding hostile values, or no object at all. */
const hostileBody = (fields: string[]) =>
  fc.oneof(
    fc
      .dictionary(fc.constantFrom(...fields, "__proto__", "constructor", "ticket"), hostileValue, { maxKeys: fields.length + 2 })
      .map((o) => JSON.stringify(o)),
    fc
      .record({ provider: fc.dictionary(fc.constantFrom("issuer", "clientId", "clientSecret", "displayName", "__proto__"), hostileValue) })
      .map((o) => JSON.stringify(o)),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom("", "{", "null", '{"__proto__":{"isAdmin":true}}', "\u0000\u0001", `{"password":"${MARKER}"`),
  );

describe("sign-in factor routes under hostile JSON", () => {
  let t: TestServer;
  let gym: GymFixture;
  const tokens = { anonymous: "", member: "", owner: "" };
  const sql = <T = Record<string, unknown>>(q: string) => t.server.db.orm.em.fork().getConnection().execute<T[]>(q);
  /** The credentials and settings a refused request must not touch. */
  const credentials = async () =>
    sql(`select (select count(*) from password_credential)::int as passwords, (select count(*) from totp_factor where confirmed_at is not null)::int as totp,
      (select count(*) from passkey_credential)::int as passkeys, (select count(*) from gym_identity_provider)::int as providers,
      (select count(*) from oidc_identity)::int as links, (select count(*) from auth_session)::int as sessions, (select count(*) from invitation where accepted_at is not null)::int as accepted`);

  beforeAll(async () => {
    t = await startTestServer({ HTTP_REQUESTS_PER_SECOND_PER_IP: "100000" });
    gym = await aGym(t.server.db.orm, { members: 1 });
    tokens.member = await signToken(t.server.jwtSecret!, gym.members[0]!.id, 3_600);
    tokens.owner = await signToken(t.server.jwtSecret!, gym.ownerId, 3_600);
  }, 60_000);

  afterAll(async () => {
    if (t) expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
    await t?.cleanup();
  });

  for (const route of Routes) {
    it(`POST ${route.path("<gym>")} answers hostile bodies with a JSON refusal, never a 5xx or an echoed secret`, async () => {
      const before = await credentials();
      let refusedAll = true;
      await fc.assert(
        fc.asyncProperty(hostileBody(route.fields), fc.boolean(), fc.boolean(), async (body, withHeader, withToken) => {
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (withHeader) headers["x-spotter"] = "1";
          if (withToken && route.as !== "anonymous") headers.authorization = `Bearer ${tokens[route.as]}`;
          const res = await fetch(`${t.server.url}${route.path(gym.gymId)}`, { method: "POST", headers, body });
          const text = await res.text();
          expect(res.status, text.slice(0, 200)).toBeLessThan(500);
          expect(text).not.toContain(MARKER);
          if (res.status >= 300) {
            const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
            expect(ErrorCodes, text.slice(0, 200)).toContain(parsed.error?.code);
            expect(parsed.error?.message).toEqual(expect.any(String));
          } else refusedAll = false;
        }),
        { numRuns: 60, seed: 17 },
      );
      // Only answers that succeeded may have changed anything (an owner's valid-looking policy, a member's strong password).
      if (refusedAll) expect(await credentials()).toEqual(before);
    }, 60_000);
  }
});
