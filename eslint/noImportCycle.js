// ESLint rule "spotter/no-import-cycle": no file may reach itself through its relative imports (type imports count too).
// The whole graph is read once per lint run with TypeScript's pre-processor (no type checking), so the rule costs milliseconds.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const graphs = new Map();

function resolveImport(fromFile, source) {
  if (!source.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(fromFile), source);
  for (const candidate of [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function collect(dir, files) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, files);
    else if (entry.name.endsWith(".ts")) files.push(full);
  }
}

/** Tarjan's strongly connected components: every file in a component of two or more sits on a circle. */
function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const component = new Map();
  let next = 0;
  const visit = (start) => {
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const targets = edges.get(node) ?? [];
      if (i < targets.length) {
        frame[1]++;
        const target = targets[i];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) low.set(node, Math.min(low.get(node), index.get(target)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const members = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          members.push(member);
        } while (member !== node);
        if (members.length > 1) for (const m of members) component.set(m, members);
      }
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return component;
}

function graphFor(roots) {
  const key = roots.join("\0");
  let graph = graphs.get(key);
  if (graph) return graph;
  const files = [];
  for (const root of roots) if (fs.existsSync(root)) collect(root, files);
  const edges = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, false);
    const targets = [];
    for (const ref of info.importedFiles) {
      const target = resolveImport(file, ref.fileName);
      if (target) targets.push(target);
    }
    edges.set(file, targets);
  }
  graph = { edges, component: cycles(edges) };
  graphs.set(key, graph);
  return graph;
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow import circles between the project's own files" },
    schema: [{ type: "object", properties: { roots: { type: "array", items: { type: "string" } } }, additionalProperties: false }],
    messages: { cycle: "Import circle: {{path}}" },
  },
  create(context) {
    const cwd = context.cwd;
    const roots = (context.options[0]?.roots ?? ["."]).map((root) => path.resolve(cwd, root));
    const file = path.resolve(context.filename);
    const { component } = graphFor(roots);
    const members = component.get(file);
    if (!members) return {};
    const inCycle = new Set(members);
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== "string") return;
      const target = resolveImport(file, source);
      if (!target || !inCycle.has(target)) return;
      const shown = [file, target].map((f) => path.relative(cwd, f)).join(" → ");
      context.report({ node: node.source, messageId: "cycle", data: { path: `${shown} → … → back (${members.length} files)` } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
