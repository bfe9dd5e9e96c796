import { createHash } from "node:crypto";

/** Stable UUIDs from a name, so the demo gym has the same ids on every machine. */
export function demoId(name: string): string {
  const h = createHash("sha256").update(`spotter-demo:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
