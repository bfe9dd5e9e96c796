/**
 * Notices by email (issue 20): the real send path through the mail outbox to a real SMTP server, as HTML with a
 * plain-text part, every piece of notice text escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noticeMail } from "../../../server/notify/noticeMail.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { startSmtp, type TestSmtp } from "../../support/smtp.js";
import { suiteSockets } from "../../support/sockets.js";

const pg = await requirePostgres();

describe("notice mail", () => {
  it("escapes the notice and its links in the HTML part, and says the same in plain text", () => {
    const m = noticeMail({
      kind: "social",
      text: `Ana <script>alert(1)</script> & "Bo" said 'hi'`,
      link: `https://gym.example/bookings?session=1&x="y"`,
      preferencesLink: "https://gym.example/bookings?inbox=1",
      gymName: "Iron & <Co>",
    });
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("Ana &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Bo&#34; said &#39;hi&#39;");
    expect(m.html).toContain(`href="https://gym.example/bookings?session=1&#38;x=&#34;y&#34;"`);
    expect(m.html).toContain("Iron &#38; &#60;Co&#62; on Spotter");
    expect(m.text).toContain(`Ana <script>alert(1)</script> & "Bo" said 'hi'`);
    expect(m.text).toContain('Open Spotter: https://gym.example/bookings?session=1&x="y"');
    expect(m.subject).toBe(`Ana <script>alert(1)</script> & "Bo" said 'hi'`);
  });
});

describe("notice mail through the outbox", () => {
  let db: TestDatabase;
  let t: TestServer;
  let smtp: TestSmtp;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    [smtp, db] = await Promise.all([startSmtp(), createTestDatabase(pg.url!)]);
    t = await startTestServer({
      DATABASE_URL: db.url,
      SPOTTER_MODE: "embedded",
      JWT_SECRET: "m".repeat(40),
      SMTP_URL: smtp.url,
      COMMANDS_PER_SECOND: "1000",
    });
    gym = await aGym(t.server.db.orm, { members: 1, name: "Iron & Oak" });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await Promise.all([db?.drop(), smtp?.close()]);
  });

  it("sends a notice as multipart mail: a plain-text part and an escaped HTML part", async () => {
    const m = gym.members[0]!;
    await t.server.notices.notify([m.id], { kind: "fee_charged", text: "A <b>no-show</b> fee of €5.00 was charged", gymId: gym.gymId });
    const mail = await smtp.next(m.email);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.body).toContain("A fee was charged");
    expect(mail.body).toContain("&#60;b&#62;no-show&#60;/b&#62;");
    expect(mail.body).not.toContain("<b>no-show</b> fee of €5.00 was charged</p>");
    expect(mail.body).toContain("Iron &#38; Oak on Spotter");
  });
});
