/**
 * Session routes (issue 17): `POST /api/auth/refresh` spends the refresh cookie and answers a fresh access token with
 * the next cookie; `POST /api/auth/sign-out` ends this device's session. Both need the `X-Spotter: 1` header.
 */
import type { Sessions } from "../../app/signin/sessions.js";
import { clearRefreshCookie, crossSite, readCookie, REFRESH_COOKIE, requestInfo, signedInResponse } from "./sessionCookies.js";
import { json, type Router } from "./router.js";

export interface SessionRouteDeps {
  sessions: Sessions;
  now: () => number;
}

export function addSessionRoutes(router: Router, d: SessionRouteDeps): void {
  router.post("/api/auth/refresh", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const result = await d.sessions.refresh(readCookie(req, REFRESH_COOKIE), requestInfo(req));
    if (result.ok) return signedInResponse(result.signedIn, d.now());
    // A dead cookie is removed, so the app shows its sign-in screen instead of retrying.
    return json(
      401,
      { error: { code: result.code, reason: result.reason, message: result.message } },
      { "set-cookie": clearRefreshCookie() },
    );
  });

  router.post("/api/auth/sign-out", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const ended = await d.sessions.signOut(readCookie(req, REFRESH_COOKIE), requestInfo(req));
    return json(200, { signedOut: ended }, { "set-cookie": clearRefreshCookie() });
  });
}
