import { createHash } from "node:crypto";

/** SHA-256 of a chain input, as 64 lowercase hex characters. */
export function sha256Hex(input: string): string {
  return createHash("sha256").update(input, "utf8").digest("hex");
}
