import { gzipSync } from "node:zlib";
import type { Logger, Plugin } from "vite";

/** A chunk as the bundle reports it (the fields this budget reads). */
interface ChunkInfo {
  type: "chunk";
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

/** The JS a browser must download before the app runs: entry chunks and their static imports, gzipped. */
export function firstLoadGzipBytes(bundle: Record<string, { type: string }>): { bytes: number; files: string[] } {
  const chunks = new Map<string, ChunkInfo>();
  for (const [name, item] of Object.entries(bundle)) if (item.type === "chunk") chunks.set(name, item as ChunkInfo);
  const seen = new Set<string>();
  const visit = (name: string) => {
    const chunk = chunks.get(name);
    if (!chunk || seen.has(name)) return;
    seen.add(name);
    chunk.imports.forEach(visit);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
  let bytes = 0;
  for (const name of seen) bytes += gzipSync(chunks.get(name)!.code, { level: 9 }).length;
  return { bytes, files: [...seen].sort() };
}

/** Prints the first-load JS size (gzip) at build time and fails the build above `maxGzipBytes`. */
export function firstLoadBudget({ maxGzipBytes }: { maxGzipBytes: number }): Plugin {
  let logger: Logger | undefined;
  return {
    name: "spotter-first-load-budget",
    apply: "build",
    configResolved(config) {
      logger = config.logger;
    },
    generateBundle(_options, bundle) {
      const { bytes, files } = firstLoadGzipBytes(bundle);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const line = `first-load JS: ${kb(bytes)} gzip (budget ${kb(maxGzipBytes)}) in ${files.join(", ")}`;
      if (bytes > maxGzipBytes) this.error(`${line} — over budget: split or drop a dependency`);
      if (logger) logger.info(line);
      else console.log(line);
    },
  };
}
