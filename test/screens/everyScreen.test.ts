/**
 * Every staff and member screen (test/screens/screenRoutes.ts) at phone (390×844), tablet (768×1024)
 * and desktop (1280×800) size in real Chromium against the demo gym: the page never scrolls sideways,
 * axe-core finds no text below WCAG AA contrast and no other serious violation, and Tab reaches every
 * action. Under `npm run screenshots` it also refreshes docs/screenshots/<screen>-{phone,desktop}.png.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { aBooking, aMember, aSession, aWaitlistPlace } from "../web-admin/adminFixtures.js";
import { axeViolations, overflowingElements, sidewaysOverflow, unreachableByKeyboard } from "./pageChecks.js";
import { SCREEN_ROUTES, VIEWPORTS, type RouteIds, type Signer, type ViewportName } from "./screenRoutes.js";
import { demoMinutesOfDay } from "../support/demoFixtures.js";
import { aGym } from "../support/gymFixture.js";
import { saveGymFactorPolicy } from "../../server/persistence/gymSignInSettings.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
const ids: RouteIds = { session: "", member: "" };
type LinkSigner = Extract<Signer, "secondFactorLink" | "invitationLink">;
const tokens: Record<Exclude<Signer, LinkSigner>, string> = { owner: "", coach: "", desk: "", member: "", none: "" };
/** Screens reached by a one-time link, made fresh for each visit: a staff sign-in that needs a second factor, an invitation. */
const links: Record<LinkSigner, () => Promise<string>> = { secondFactorLink: notSetUp, invitationLink: notSetUp };
function notSetUp(): Promise<string> {
  return Promise.reject(new Error("not set up"));
}
const isLink = (as: Signer): as is LinkSigner => as === "secondFactorLink" || as === "invitationLink";

beforeAll(async () => {
  await ensureBuilt("web-admin");
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  const startsIn = demoMinutesOfDay(now) > 23 * 60 + 40 ? -10 : 10;
  ids.session = await aSession(em(), { className: "Screens Strength", startsInMinutes: startsIn, capacity: 3, now });
  const full = await aSession(em(), { className: "Screens Full Spin", startsInMinutes: startsIn + 120, capacity: 1, now });
  ids.member = await aMember(em(), "Sasha Screens", now);
  const other = await aMember(em(), "Robin Roster", now);
  await aBooking(em(), ids.session, ids.member, now);
  await aBooking(em(), ids.session, other, now);
  await aBooking(em(), full, other, now);
  await aWaitlistPlace(em(), full, ids.member, 1, now);
  const secret = test.server.jwtSecret;
  if (!secret) throw new Error("the test server verifies tokens with no local secret");
  tokens.owner = await signToken(secret, demoId("user:owner"));
  tokens.coach = await signToken(secret, demoId("user:coach1"));
  tokens.desk = await signToken(secret, demoId("user:desk"));
  tokens.member = await signToken(secret, ids.member);
  const strict = await aGym(test.server.db.orm, { members: 1 });
  await saveGymFactorPolicy(test.server.db.orm, strict.gymId, strict.ownerId, { passwordsAllowed: false, staffSecondFactor: true }, now);
  const coach = (await em().getConnection().execute<{ email: string }[]>(`select email from app_user where id = ?`, [strict.coachId]))[0]!;
  const here = (link: string) => link.replace(/^https?:\/\/[^/]+/, test!.server.url);
  links.secondFactorLink = async () => here(await test!.server.signIn!.email.devLink(strict.coachId, coach.email, "staff", 600_000));
  let invited = 0;
  links.invitationLink = async () =>
    here(
      (
        await test!.server.signIn!.invitations.invite({
          gymId: DEMO_GYM_ID,
          gymName: "Spotter Demo Box",
          email: `invited${++invited}@screens.test`,
          role: "member",
          invitedBy: null,
          inviterName: null,
        })
      ).link,
    );
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

const only = process.env.SCREENS_ONLY; // e.g. SCREENS_ONLY=admin-today to check one screen while fixing it

for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
  describe(`every screen at ${viewport} size (${VIEWPORTS[viewport].width}×${VIEWPORTS[viewport].height})`, () => {
    for (const route of SCREEN_ROUTES.filter((r) => !only || only.split(",").includes(r.name))) {
      it(`${route.name}: fits without sideways scroll, passes axe (AA contrast), and Tab reaches every action`, async () => {
        const base = route.app === "admin" ? `${test!.server.url}/admin` : test!.server.url;
        const url = isLink(route.as)
          ? await links[route.as]()
          : `${base}${route.path(ids)}${route.as === "none" ? "" : `#token=${tokens[route.as]}`}`;
        const page = await openPage(browser!, url, { viewport: VIEWPORTS[viewport], bypassCSP: true });
        try {
          await waitVisible(page, page.locator(route.ready), `${route.name} ready (${route.ready})`, 15_000);
          await page.evaluate(() => document.fonts.ready);
          const problems: string[] = [];
          const overflow = await sidewaysOverflow(page);
          if (overflow > 0) problems.push(`scrolls sideways by ${overflow} px: ${(await overflowingElements(page)).join(", ")}`);
          problems.push(...(await axeViolations(page)).map((v) => `axe ${v}`));
          if (viewport !== "tablet") await screenshot(page, `${route.name}-${viewport}`, { docs: true });
          problems.push(...(await unreachableByKeyboard(page)).map((e) => `Tab never reaches ${e}`));
          expect(problems, `${route.name} at ${viewport}`).toEqual([]);
        } finally {
          await page.context().close();
        }
      }, 60_000);
    }
  });
}
