/**
 * Email sign-in against a real SMTP server (smtp-server, in-process): the mail carries a link and a 6-digit code;
 * both work once, for 15 minutes, only in the browser that asked; the answer never says whether the address has an
 * account; wrong codes and floods are refused in words; a failed send is retried from the durable outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { startSmtp, type TestSmtp } from "../../support/smtp.js";

/** A browser's cookie jar, just enough for the /api/auth cookies. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: () => string) {}
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
  async post(path: string, body: unknown): Promise<{ status: number; json: Record<string, any> }> {
    const res = await fetch(`${this.base()}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-spotter": "1", cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      body: JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split("; ");
      const [name, value] = pair!.split("=") as [string, string];
      if (attrs.includes("Max-Age=0")) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  }
}

describe("email sign-in", () => {
  let t: TestServer;
  let smtp: TestSmtp;
  let gym: GymFixture;
  let clock = Date.now();

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestServer({ SMTP_URL: smtp.url }, { now: () => clock });
    gym = await aGym(t.server.db.orm, { members: 8, name: "Iron Temple" });
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });
  const browser = () => new Browser(() => t.server.url);
  const email = (i: number) => gym.members[i]!.email;

  it("signs in with the code from the mail, once", async () => {
    const b = browser();
    const started = await b.post("/api/auth/email/start", { email: email(0).toUpperCase(), app: "member" });
    expect(started.status).toBe(202);
    const mail = await smtp.next(email(0));
    expect(mail.subject).toMatch(/^\d{6} is your Iron Temple sign-in code$/);
    expect(mail.body).toContain("15 minutes");
    expect(mail.body).toContain("<a href=");
    const ok = await b.post("/api/auth/email/verify", { email: email(0), code: mail.code });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ userId: gym.members[0]!.id, accessToken: expect.any(String) });
    expect(b.cookies.has("spotter_refresh")).toBe(true);
    const again = await b.post("/api/auth/email/verify", { email: email(0), code: mail.code });
    expect(again).toMatchObject({
      status: 400,
      json: { error: { code: "CODE_EXPIRED", message: expect.stringContaining("ask for a new one") } },
    });
  });

  it("answers an address without an account exactly as one with, and mails it that there is none", async () => {
    const known = await browser().post("/api/auth/email/start", { email: email(1) });
    const unknown = await browser().post("/api/auth/email/start", { email: "nobody-here@test.spotter" });
    expect(unknown).toEqual(known);
    const mail = await smtp.next("nobody-here@test.spotter");
    expect(mail.subject).toBe("No Spotter account for this address");
    expect(mail.code).toBeUndefined();
    expect(mail.link).toBeUndefined();
  });

  it("takes the link only in the browser that asked for it, and only once", async () => {
    const asker = browser();
    await asker.post("/api/auth/email/start", { email: email(2) });
    const { link } = await smtp.next(email(2));
    const other = await browser().post("/api/auth/email/verify", { link });
    expect(other).toMatchObject({
      status: 400,
      json: { error: { code: "OTHER_BROWSER", message: expect.stringContaining("another browser") } },
    });
    const ok = await asker.post("/api/auth/email/verify", { link });
    expect(ok).toMatchObject({ status: 200, json: { userId: gym.members[2]!.id } });
    expect(await asker.post("/api/auth/email/verify", { link })).toMatchObject({ status: 400, json: { error: { code: "LINK_INVALID" } } });
  });

  it("counts wrong codes and kills the request after five, saying how many tries are left", async () => {
    const b = browser();
    await b.post("/api/auth/email/start", { email: email(3) });
    const { code } = await smtp.next(email(3));
    const wrong = code === "000000" ? "111111" : "000000";
    const first = await b.post("/api/auth/email/verify", { email: email(3), code: wrong });
    expect(first.json.error).toMatchObject({ code: "CODE_INVALID", message: expect.stringContaining("4 tries left") });
    for (let i = 0; i < 4; i += 1) await b.post("/api/auth/email/verify", { email: email(3), code: wrong });
    expect(await b.post("/api/auth/email/verify", { email: email(3), code })).toMatchObject({
      status: 400,
      json: { error: { code: "CODE_EXPIRED" } },
    });
  });

  it("refuses a code after 15 minutes", async () => {
    const b = browser();
    await b.post("/api/auth/email/start", { email: email(4) });
    const { code } = await smtp.next(email(4));
    clock += 15 * 60_000 + 1;
    try {
      expect(await b.post("/api/auth/email/verify", { email: email(4), code })).toMatchObject({
        status: 400,
        json: { error: { code: "CODE_EXPIRED" } },
      });
    } finally {
      clock = Date.now();
    }
  });

  it("limits sign-in mails per address, in words, without telling whether it has an account", async () => {
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await browser().post("/api/auth/email/start", { email: "flood@test.spotter" }));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(answers[5]).toMatchObject({ status: 429, json: { error: { code: "RATE_LIMITED", message: expect.stringContaining("wait") } } });
  });

  it("keeps a mail the SMTP server refused and sends it on a later try", async () => {
    smtp.refuseNext(email(5), 1);
    const b = browser();
    await b.post("/api/auth/email/start", { email: email(5) });
    await t.server.signIn!.outbox.kick();
    const conn = t.server.db.orm.em.fork().getConnection();
    const [row] = await conn.execute(
      `select status, attempts, last_error from mail_outbox where to_address = ? order by created_at desc limit 1`,
      [email(5)],
    );
    expect(row).toMatchObject({ status: "queued", attempts: 1, last_error: expect.stringContaining("busy") });
    clock += 31_000;
    try {
      await t.server.signIn!.outbox.kick();
    } finally {
      clock = Date.now() + 31_000;
    }
    const mail = await smtp.next(email(5));
    expect(mail.code).toMatch(/^\d{6}$/);
    const [sent] = await conn.execute(`select status, attempts from mail_outbox where to_address = ? order by created_at desc limit 1`, [
      email(5),
    ]);
    expect(sent).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("logs every request, sign-in and failure in the append-only sign-in log", async () => {
    const conn = t.server.db.orm.em.fork().getConnection();
    const events = await conn.execute(`select event, method from auth_event where user_id = ? order by at`, [gym.members[2]!.id]);
    expect(events.map((e: { event: string }) => e.event)).toEqual(["code_requested", "sign_in_failed", "sign_in", "sign_in_failed"]);
    await expect(conn.execute(`delete from auth_event where user_id = ?`, [gym.members[2]!.id])).rejects.toThrow(/append-only/);
  });
});
