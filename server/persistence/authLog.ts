import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { AuthEventDraft, AuthLog } from "../../app/signin/ports.js";

/** The sign-in log in `auth_event` (append-only: the database refuses updates and deletes). */
export class PgAuthLog implements AuthLog {
  constructor(private readonly orm: MikroORM) {}

  async record(e: AuthEventDraft): Promise<void> {
    await this.orm.em
      .getConnection()
      .execute(
        `insert into auth_event (id, at, event, user_id, email, method, session_id, ip, user_agent, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
        [
          randomUUID(),
          new Date(e.at),
          e.event,
          e.userId ?? null,
          e.email?.slice(0, 320) ?? null,
          e.method ?? null,
          e.sessionId ?? null,
          e.request?.ip.slice(0, 64) ?? "",
          e.request?.userAgent.slice(0, 400) ?? "",
          JSON.stringify(e.detail ?? {}),
        ],
      );
  }
}
