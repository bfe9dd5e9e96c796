/**
 * What `pg` clients send to PostgreSQL, seen from a test: every query of every connection of this process while
 * recording (pg's `Client.prototype.query`, restored afterwards). For tests that count statements and round trips.
 */
import { createRequire } from "node:module";

type Client = { query(...args: unknown[]): unknown };

/** Calls `onQuery` with the client and the text of every query sent from now on; answers the function that stops it. */
export function onPgQuery(onQuery: (client: object, text: string) => void): () => void {
  const proto = (createRequire(import.meta.url)("pg") as { Client: { prototype: Client } }).Client.prototype;
  const query = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    const q = args[0] as string | { text?: string } | undefined;
    onQuery(this, typeof q === "string" ? q : (q?.text ?? ""));
    return query.apply(this, args);
  };
  return () => void (proto.query = query);
}

/** The statements sent while `run` runs, each as `shape` makes it (by default on one line, whitespace collapsed). */
export async function statementsDuring(
  run: () => Promise<void>,
  shape: (text: string) => string = (text) => text.replace(/\s+/g, " ").trim(),
): Promise<string[]> {
  const seen: string[] = [];
  const stop = onPgQuery((_client, text) => seen.push(shape(text)));
  try {
    await run();
  } finally {
    stop();
  }
  return seen;
}
