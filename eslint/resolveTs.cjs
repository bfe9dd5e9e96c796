// ESLint import resolver for NodeNext sources: "./x.js" written in TypeScript means "./x.ts" on disk.
const fs = require("node:fs");
const path = require("node:path");
const node = require("eslint-import-resolver-node");

exports.interfaceVersion = 2;

exports.resolve = (source, file, config) => {
  if (source.startsWith(".") || source.startsWith("/")) {
    const base = path.resolve(path.dirname(file), source);
    const candidates = [base, base.replace(/\.js$/, ".ts"), `${base}.ts`, path.join(base, "index.ts")];
    for (const candidate of candidates) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return { found: true, path: candidate };
    }
    return { found: false };
  }
  return node.resolve(source, file, config);
};
