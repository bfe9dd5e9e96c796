import type { z } from "zod";
import { FeedCommandSchemas } from "./feed.js";
import { QuerySchemas } from "./queries.js";
import { SetupSchemas } from "./setup.js";

/**
 * Every request answered outside the room actors (sent with the `command` event, same envelope and ack): one
 * schema per type. `server/realtime/requestTable.ts` maps each type to its roles, audit and use case.
 */
export const RequestSchemas = { ...QuerySchemas, ...FeedCommandSchemas, ...SetupSchemas } as const;

export type RequestType = keyof typeof RequestSchemas;

/** A request's payload as its handler receives it (after the schema's transforms). */
export type RequestPayload<K extends RequestType> = z.output<(typeof RequestSchemas)[K]>;

/** Whether `type` names a request (own keys only: `constructor` or `__proto__` is not one). */
export const isRequestType = (type: string): type is RequestType => Object.hasOwn(RequestSchemas, type);
