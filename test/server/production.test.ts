import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../../server/createServer.js";
import { runToExit, serverEnv } from "../../scripts/lib/serverProcess.js";
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

  const production = () => ({ SPOTTER_MODE: "production", DATABASE_URL: db.url, JWT_SECRET: "s".repeat(32) });

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
      const res = await fetch(`${t.server.url}/ready`);
      expect(await res.json()).toMatchObject({ ready: true, database: { ok: true, kind: "postgresql" } });
    } finally {
      await t.cleanup();
    }
  });
});
