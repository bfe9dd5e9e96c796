import * as crypto from "node:crypto";

// One-shot `crypto.hash` (Node ≥ 20.12) builds no Hash object: about half the cost per row; elsewhere (Deno) createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

/** SHA-256 of a chain input, as 64 lowercase hex characters. */
export function sha256Hex(input: string): string {
  return oneShot ? oneShot("sha256", input, "hex") : crypto.createHash("sha256").update(input, "utf8").digest("hex");
}
