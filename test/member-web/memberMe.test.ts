/**
 * The member's "Me" screen in real Chromium (360×740), issue 18 "Live and audited": staff sell the member a pack
 * and freeze them while the screen is open, and it says so without a reload; the member uploads and replaces
 * their photo from Me (through the photo route), and the desk card shows it.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs, type TestSocket } from "../support/sockets.js";
import { aMember } from "./memberFixtures.js";
import { openApp } from "./memberPages.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let owner: TestSocket | undefined;
const room = `gym:${DEMO_GYM_ID}`;
const DAY = 86_400_000;
/** A real 1×1 PNG, so the browser shows it. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  owner = await connectAs(test.server, demoId("user:owner"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  owner?.close();
  await browser?.close();
  await test?.cleanup();
});

const newMember = async (name: string) => {
  const id = await aMember(test!.server.db.orm.em.fork() as unknown as EntityManager, name, Date.now());
  return { id, token: await signToken(test!.server.jwtSecret!, id) };
};

describe("member app: Me", () => {
  it("shows a pack sold (credits, money owed) and a freeze made by staff while the screen is open, without a reload", async () => {
    const member = await newMember("Lia Live");
    const page = await openApp(browser!, test!.server.url, member.token);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    const credits = page.getByTestId("credits");
    await waitVisible(page, credits, "the credits on Me", 15_000);
    const before = await credits.innerText();
    await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));

    expect(before).toBe("∞");
    expect(await owner!.command(room, "gym:sellPack", { memberId: member.id, planId: demoId("plan:pack10") })).toMatchObject({ ok: true });
    await expect.poll(() => credits.innerText(), { timeout: 10_000 }).toBe("10");
    await waitVisible(page, page.getByTestId("owed"), "what the pack's open charge adds to what is owed");

    const until = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
    expect(await owner!.command(room, "gym:freezeMember", { memberId: member.id, until, reason: "Travelling" })).toMatchObject({
      ok: true,
    });
    const standing = page.getByTestId("standing");
    await waitVisible(page, standing, "the freeze on Me", 10_000);
    expect(await standing.innerText()).toMatch(/^Membership frozen until \d{1,2} [A-Z][a-z]{2} — ask the front desk\.$/);
    // The same page all along: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    await page.context().close();
  });

  it("uploads and replaces my photo from Me; a file too large or not an image is refused in words; the desk sees it", async () => {
    const member = await newMember("Pia Photo");
    const desk = await connectAs(test!.server, demoId("user:desk"));
    const page = await openApp(browser!, test!.server.url, member.token);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    const file = page.locator("member-photo input[type=file]");
    await waitVisible(page, page.getByText("No photo yet"), "Me without a photo", 15_000);
    await file.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    expect(await page.getByTestId("photo-error").innerText()).toBe("Choose a JPEG, PNG or WebP photo.");
    await file.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: Buffer.concat([PNG, Buffer.alloc(600 * 1024)]) });
    expect(await page.getByTestId("photo-error").innerText()).toBe("A photo can be up to 512 KB — make it smaller.");

    await file.setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
    await waitVisible(page, page.getByTestId("my-photo"), "my photo on Me");
    await waitVisible(page, page.getByText("Replace photo"), "the replace button");
    const card = async () =>
      (await desk.command(room, "gym:deskCard", { memberId: member.id })) as { ok: boolean; result: { photoUpdatedAt: number | null } };
    const first = (await card()).result.photoUpdatedAt;
    expect(first).toEqual(expect.any(Number));

    // A file that says it is a PNG but is not: the route refuses it, and Me says why.
    await file.setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)>") });
    await waitVisible(page, page.getByTestId("photo-error"), "the route's refusal");
    expect(await page.getByTestId("photo-error").innerText()).toContain("not the image type it says");

    await file.setInputFiles({ name: "me2.png", mimeType: "image/png", buffer: PNG });
    await expect.poll(async () => (await card()).result.photoUpdatedAt, { timeout: 10_000 }).toBeGreaterThan(first!);
    const stored = await fetch(`${test!.server.url}/api/photos/member?gym=${DEMO_GYM_ID}&member=${member.id}`, {
      headers: { authorization: `Bearer ${await signToken(test!.server.jwtSecret!, demoId("user:desk"))}` },
    });
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(new Uint8Array(PNG));
    desk.close();
    await page.context().close();
  });
});
