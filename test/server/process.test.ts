import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigVariables } from "../../server/config.js";
import { nodeCommand, runToExit, serverEnv, startServerProcess } from "../../scripts/lib/serverProcess.js";
import { makeTempDir, withMigratedDatabase } from "../support/services.js";

// The real entry point as an operator runs it: `node --import tsx server/main.ts`.
describe("the server process", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  // Every variable's validation is covered in config.test.ts; this checks what the operator sees.
  it("exits with status 2 and one stderr line naming the variable on a bad value, without a stack trace", async () => {
    const exit = await runToExit(nodeCommand, serverEnv({ DATA_DIR: tempDir(), PORT: "70000" }));
    expect(exit.code).toBe(2);
    const lines = exit.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^spotter: bad configuration: PORT: /);
    expect(exit.stderr).not.toMatch(/^\s+at /m);
    expect(exit.stdout).toBe("");
  });

  it("lists every environment variable under --help", async () => {
    const exit = await runToExit([...nodeCommand, "--help"], serverEnv({}));
    expect(exit.code).toBe(0);
    for (const name of Object.keys(ConfigVariables)) expect(exit.stdout).toContain(name);
  });

  // A first boot (creating the embedded database) is covered by scripts/smoke.ts; these start from a migrated copy.
  it("stops with exit status 0 within 10 s of SIGTERM", async () => {
    const dataDir = await withMigratedDatabase(tempDir());
    const server = await startServerProcess(nodeCommand, serverEnv({ DATA_DIR: dataDir, PORT: "0", SEED_DEMO: "false" }));
    await server.waitForOutput("Spotter is live"); // see the next test: signal handlers are installed only after this banner
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const exit = await server.stop("SIGTERM", 10_000);
    expect(exit.code, `${exit.stdout}\n${exit.stderr}`).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    expect(exit.stdout).toContain('"msg":"stopped"');
  });

  // Regression: server/main.ts installed its SIGTERM/SIGINT handlers only after awaiting the demo-login banner,
  // so a SIGTERM that arrived once the node listened (and served) but before the banner killed it without a graceful stop.
  it("stops gracefully on a SIGTERM that arrives as soon as it logs that it listens", async () => {
    const dataDir = await withMigratedDatabase(tempDir());
    const server = await startServerProcess(nodeCommand, serverEnv({ DATA_DIR: dataDir, PORT: "0", SEED_DEMO: "false" }));
    const exit = await server.stop("SIGTERM", 10_000);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('"msg":"stopped"');
  });

  // Regression (trust issue, item 0): a second `npm start` on the same DATA_DIR started without a word and the two
  // embedded databases each acknowledged bookings the other never saw (lost on restart).
  describe.each(["uws", "node"] as const)("on TRANSPORT=%s", (transport) => {
    it("refuses a second server on the same DATA_DIR with exit 2 and one line naming the PID that holds it, and takes over after a crash", async () => {
      const dataDir = await withMigratedDatabase(tempDir());
      const env = serverEnv({ DATA_DIR: dataDir, PORT: "0", SEED_DEMO: "false", TRANSPORT: transport });
      const first = await startServerProcess(nodeCommand, env);
      const second = await runToExit(nodeCommand, env);
      expect(second.code, second.stdout).toBe(2);
      const lines = second.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^spotter: cannot start: the embedded database in \\S+ is in use by process ${first.pid} `));
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      // The banner's advice still works while the server holds the folder: demo users need no lookup.
      const token = await runToExit([process.execPath, "--import", "tsx", "server/cli/token.ts", "--user", "coach1@demo.spotter.gym"], env);
      expect(token.stderr).toBe("");
      expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);

      // A crash leaves the lock file behind; its PID is gone, so the next start takes it over.
      expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
      const third = await startServerProcess(nodeCommand, env);
      expect((await fetch(`${third.url}/ready`)).status).toBe(200);
      expect((await third.stop("SIGTERM")).code).toBe(0);
      expect(readdirSync(dataDir)).not.toContain("pg.lock"); // a graceful stop releases it
    }, 120_000);

    // Regression (item 0): on uWS a second server on a taken port bound it too (SO_REUSEPORT: two listeners sharing
    // connections); on node:http the clash surfaced only after migrations and seeding.
    it("refuses a taken port with exit 2 and one line, before it opens (or creates) its database", async () => {
      const first = await startServerProcess(
        nodeCommand,
        serverEnv({ DATA_DIR: await withMigratedDatabase(tempDir()), PORT: "0", SEED_DEMO: "false", TRANSPORT: transport }),
      );
      try {
        const emptyDir = tempDir();
        const second = await runToExit(nodeCommand, serverEnv({ DATA_DIR: emptyDir, PORT: String(first.port), TRANSPORT: transport }));
        expect(second.code, second.stdout).toBe(2);
        const lines = second.stderr.trimEnd().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toBe(
          `spotter: cannot start: cannot listen on 127.0.0.1:${first.port}: the port is in use by another process${transport === "uws" ? ", or the address is not available here" : ""}`,
        );
        expect(existsSync(join(emptyDir, "pg")), "the embedded database was opened before the port was bound").toBe(false);
        expect((await fetch(`${first.url}/health`)).status).toBe(200);
      } finally {
        await first.stop("SIGTERM");
      }
    }, 60_000);
  });
});
