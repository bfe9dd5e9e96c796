/**
 * `npm run gym:create -- --owner <email>`: a fresh install has no open "create a gym" endpoint; the CLI creates the
 * gym and prints a one-time setup link, which makes its first owner (account, owner membership, signed in) — once.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, startTestServer, withMigratedDatabase, type TestServer } from "../../support/services.js";

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/gymCreate.ts", ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("gym:create", () => {
  const dataDir = makeTempDir();
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates a gym and prints a setup link that makes its first owner, once", async () => {
    await withMigratedDatabase(dataDir);
    expect(await run(["--owner", "not-an-email"], { DATA_DIR: dataDir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("usage"),
    });
    const made = await run(["--owner", "First.Owner@Example.com", "--name", "Harbour Strength"], { DATA_DIR: dataDir, PORT: "3999" });
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('Created gym "Harbour Strength"');
    const token = /#invite=([A-Za-z0-9_-]+)/.exec(made.stdout)?.[1];
    expect(made.stdout).toContain("http://localhost:3999/admin/#invite=");

    t = await startTestServer({ DATA_DIR: dataDir });
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${t!.server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-spotter": "1" },
        body: JSON.stringify(body),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };
    expect(await post("/api/auth/invitation", { token })).toMatchObject({
      status: 200,
      json: { gymName: "Harbour Strength", role: "owner", email: "first.owner@example.com" },
    });
    const accepted = await post("/api/auth/invitation/accept", { token, name: "Fran Owner" });
    expect(accepted.status).toBe(200);
    const [m] = await t.server.db.orm.em
      .fork()
      .getConnection()
      .execute(`select m.role, g.name from gym_membership m join gym g on g.id = m.gym_id where m.user_id = ?`, [accepted.json.userId]);
    expect(m).toEqual({ role: "owner", name: "Harbour Strength" });
    expect((await post("/api/auth/invitation/accept", { token, name: "Again" })).status).toBe(400);
  }, 120_000); // three child processes (tsx start, PGlite migrations) in a row: ~10 s idle, much longer under load
});
