// Lint for Spotter: typescript-eslint, the Lit template rules, and the layer arrows of docs/architecture.md as build failures.
import boundaries from "eslint-plugin-boundaries";
import lit from "eslint-plugin-lit";
import tseslint from "typescript-eslint";
import noImportCycle from "./eslint/noImportCycle.js";

const sources = ["domain", "rooms", "app", "server", "web-admin/src", "member-web/src", "web/shared", "scripts", "test", "migrations"];

/**
 * domain/'s own layers, top first: a folder imports only folders of lower layers and domain's root files (model.ts,
 * errors.ts, format.ts, …), never a folder of its own layer or above, so its areas never import each other in a
 * circle. Moving a folder, or adding one, is a decision made here; a folder not listed counts as a root file.
 */
const domainLayers = [
  ["views", "audit"], // what screens and the audit trail read, from every area
  ["class", "client"], // the class aggregate and its commands; the typed client
  ["protocol"], // one zod schema per message
  ["challenges"],
  ["checkin", "workouts"],
  ["admin", "notices", "attendance", "segments"],
  ["schedule", "leads", "feed", "signin", "reports", "export"],
];
const domainFolder = (name) => `domain/${name}`;

/** Layers, most specific first (the first pattern that matches a file names its element). */
const elements = [
  ...domainLayers.flat().map((name) => ({ type: domainFolder(name), pattern: `${domainFolder(name)}/**`, partialMatch: false })),
  { type: "domain", pattern: "domain/**", partialMatch: false },
  { type: "rooms", pattern: "rooms/**", partialMatch: false },
  { type: "app", pattern: "app/**", partialMatch: false },
  { type: "persistence", pattern: ["server/persistence/**", "server/db/**"], partialMatch: false },
  { type: "transport", pattern: ["server/realtime/**", "server/http/**"], partialMatch: false },
  { type: "cluster", pattern: "server/cluster/**", partialMatch: false },
  { type: "server", pattern: "server/**", partialMatch: false },
  { type: "web-shared", pattern: "web/shared/**", partialMatch: false },
  { type: "web-admin", pattern: "web-admin/**", partialMatch: false },
  { type: "member-web", pattern: "member-web/**", partialMatch: false },
  { type: "scripts", pattern: "scripts/**", partialMatch: false },
  { type: "test", pattern: "test/**", partialMatch: false },
  { type: "migrations", pattern: "migrations/**", partialMatch: false },
];

/** The composition root: the only server files that wire every layer together. */
const rootFiles = [
  "server/createServer.ts",
  "server/liveRuntime.ts",
  "server/roomsRuntime.ts",
  "server/requestsRuntime.ts",
  "server/httpRuntime.ts",
  "server/socketsRuntime.ts",
  "server/main.ts",
];

const serverSide = ["app", "persistence", "transport", "cluster", "server"];
const webSide = ["web-shared", "web-admin", "member-web"];
const tooling = ["scripts", "test", "migrations"];

/** One policy per forbidden arrow; everything not named here is allowed. */
const forbid = (from, to, message) => ({
  from: { element: { types: { anyOf: [from].flat() } } },
  disallow: { to: { element: { types: { anyOf: to } } } },
  message,
});
const forbidRoot = (from, message) => ({
  from: { element: { types: { anyOf: from } } },
  disallow: { to: { file: { categories: "root" } } },
  message,
});

const domainTypes = ["domain", ...domainLayers.flat().map(domainFolder)];

/** A domain folder imports no folder of its own layer or above; a root file of domain/ imports no folder. */
const domainLayerPolicies = [
  ...domainLayers.flatMap((layer, i) =>
    layer.map((name) =>
      forbid(
        domainFolder(name),
        domainLayers
          .slice(0, i + 1)
          .flat()
          .filter((other) => other !== name)
          .map(domainFolder),
        `domain/${name}/ imports only lower layers of domain/ (domainLayers in eslint.config.js): move what both need down instead`,
      ),
    ),
  ),
  forbid("domain", domainLayers.flat().map(domainFolder), "domain/'s root files are its lowest layer: they import no folder of domain/"),
];

const policies = [
  ...domainLayerPolicies,
  forbid(
    domainTypes,
    ["rooms", ...serverSide, ...webSide, ...tooling],
    "domain/ imports only domain/: rules know no actors, sockets or database",
  ),
  forbid("rooms", [...serverSide, ...webSide, ...tooling], "rooms/ imports only domain/ (storage through the ports rooms declare)"),
  forbid(
    "app",
    ["rooms", "persistence", "transport", "cluster", "server", ...webSide, ...tooling],
    "app/ imports only domain/ and its own ports",
  ),
  forbid("persistence", ["transport"], "server/persistence is adapters only: it imports no transport (server/realtime, server/http)"),
  forbid(
    "transport",
    ["persistence"],
    "server/realtime and server/http reach storage through app/ use cases or ports the composition root injects, never server/persistence or server/db",
  ),
  forbidRoot(
    [...domainTypes, "rooms", "app", "persistence", "transport", "cluster"],
    "only the composition root (server/createServer.ts, server/roomsRuntime.ts, server/main.ts) wires the layers; nothing below imports it",
  ),
  forbid("cluster", ["transport"], "server/cluster knows no sockets: shared port types live with the port's owner"),
  forbid("web-shared", ["web-admin", "member-web", "rooms", ...serverSide, ...tooling], "the shared web kit imports only domain/"),
  forbid("web-admin", ["member-web", "rooms", ...serverSide, ...tooling], "web-admin imports only domain/ and the shared web kit"),
  forbid(
    "member-web",
    ["web-admin", "rooms", ...serverSide, ...tooling],
    "member-web imports only domain/ and the shared web kit (never the staff app)",
  ),
  forbid("scripts", ["test"], "scripts/ never depends on test helpers (a tool a user runs must not need test/)"),
];

export default tseslint.config(
  { ignores: ["**/dist/**", "node_modules/**", "docs/**", "**/*.js", "**/*.cjs", "member-web/scripts/**"] },
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommended],
    plugins: { boundaries, spotter: { rules: { "no-import-cycle": noImportCycle } } },
    settings: {
      "boundaries/elements": elements,
      "boundaries/files": [{ category: "root", pattern: rootFiles }],
      "boundaries/include": sources.map((dir) => `${dir}/**/*.ts`),
      "import/resolver": { [new URL("./eslint/resolveTs.cjs", import.meta.url).pathname]: {} },
    },
    rules: {
      "boundaries/dependencies": ["error", { default: "allow", policies }],
      "spotter/no-import-cycle": ["error", { roots: sources }],
      // A `let` filled in later but read by closures declared before it (createServer's revocations) stays a `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // tsc's noUnusedParameters already lets a leading underscore mark a deliberately unused name.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  { files: ["web-admin/src/**/*.ts", "member-web/src/**/*.ts", "web/shared/**/*.ts"], extends: [lit.configs["flat/recommended"]] },
  {
    // The transport never holds the ORM either: what it reads comes through a port the composition root injects.
    files: ["server/realtime/**/*.ts", "server/http/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@mikro-orm/*", "pg", "knex"],
              message: "server/realtime and server/http read storage through app/ ports, not the ORM",
            },
          ],
        },
      ],
    },
  },
);
