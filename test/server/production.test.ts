import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSigningKeyPem } from "../../server/checkin/codeKeys.js";
import { StartupError } from "../../server/createServer.js";
import { nodeCommand, runToExit, serverEnv, startServerProcess } from "../../scripts/lib/serverProcess.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase } from "../support/services.js";

const pg = await requirePostgres();

describe.skipIf(!pg.ok)("production mode on PostgreSQL", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const metricsToken = "m".repeat(32);
  const production = () => ({
    SPOTTER_MODE: "production",
    DATABASE_URL: db.url,
    JWT_SECRET: "s".repeat(32),
    METRICS_TOKEN: metricsToken,
    CHECKIN_SIGNING_KEY: newSigningKeyPem(),
  });

  it("refuses to start on a database without migrations, telling the operator to run `npm run migrate`", async () => {
    const err = await startTestServer(production()).then(
      async (t) => {
        await t.cleanup();
        throw new Error("started without migrations");
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/migration\(s\) pending .*`npm run migrate`/);
  });

  it("starts after `npm run migrate` and reports PostgreSQL in /ready", async () => {
    // What `npm run migrate` runs, without npm's own start-up cost.
    const migrate = await runToExit([process.execPath, "--import", "tsx", "server/cli/migrate.ts"], serverEnv({ DATABASE_URL: db.url }));
    expect(migrate.stderr).toBe("");
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/^Applied: Migration\d+/);

    const t = await startTestServer(production());
    try {
      expect(t.config.SPOTTER_MODE).toBe("production");
      const res = await fetch(`${t.server.url}/ready`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(await res.json()).toMatchObject({ ready: true, database: { ok: true, kind: "postgresql" } });
    } finally {
      await t.cleanup();
    }
  });

  // Regression (trust issue, items 10 and 11): no credential of any kind in a production node's output, and the
  // source maps (the original sources) stay unpublished.
  it("prints no credential at start-up and serves no source maps", async () => {
    const password = `pw${"x".repeat(20)}`;
    const url = new URL(db.url);
    url.password = password; // trust auth: the password is accepted, and must never be printed
    const secrets = {
      DATABASE_URL: url.toString(),
      JWT_SECRET: `j${"s".repeat(40)}`,
      METRICS_TOKEN: `m${"t".repeat(40)}`,
      CHECKIN_SIGNING_KEY: newSigningKeyPem(),
    };
    const node = await startServerProcess(
      nodeCommand,
      serverEnv({ SPOTTER_MODE: "production", PORT: "0", LOG_LEVEL: "debug", ...secrets }),
    );
    try {
      const page = await fetch(`${node.url}/admin/`);
      const html = await page.text();
      const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      if (script) {
        expect((await fetch(`${node.url}${script}`)).status).toBe(200);
        expect((await fetch(`${node.url}${script}.map`)).status).toBe(404);
      } else expect(page.status).toBe(503); // apps not built
      expect((await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${secrets.METRICS_TOKEN}` } })).status).toBe(200);
    } finally {
      const exit = await node.stop("SIGTERM");
      const output = `${exit.stdout}\n${exit.stderr}`;
      const keyBody = secrets.CHECKIN_SIGNING_KEY.split("\n")[1]!;
      for (const value of [password, secrets.JWT_SECRET, secrets.METRICS_TOKEN, keyBody]) expect(output).not.toContain(value);
      expect(output).not.toMatch(/eyJ[\w-]+\.eyJ|token=/); // no signed-in links
    }
  }, 60_000);
});
