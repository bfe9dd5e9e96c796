import { Migration } from "@mikro-orm/migrations";

/**
 * Accounts and sessions (issue 17): a session is one refresh-token family; every refresh token ever issued is kept
 * (hashed) so a replayed one is recognised and ends its family. Email sign-in requests, invitations, the durable mail
 * outbox and the sign-in event log.
 */
export class Migration20261206072000_sign_in extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "auth_session" ("id" uuid not null, "user_id" uuid not null, "method" varchar(32) not null, "factors" jsonb not null default '[]', "user_agent" varchar(400) not null default '', "ip" varchar(64) not null default '', "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "idle_expires_at" timestamptz not null, "expires_at" timestamptz not null, "ended_at" timestamptz null, "end_reason" varchar(32) null, constraint "auth_session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_session_user_id_index" on "auth_session" ("user_id");`);
    this.addSql(`create index "auth_session_ended_at_index" on "auth_session" ("ended_at");`);

    this.addSql(
      `create table "refresh_token" ("hash" varchar(64) not null, "session_id" uuid not null, "issued_at" timestamptz not null, "used_at" timestamptz null, constraint "refresh_token_pkey" primary key ("hash"));`,
    );
    this.addSql(`create index "refresh_token_session_id_index" on "refresh_token" ("session_id");`);

    this.addSql(
      `create table "login_request" ("id" uuid not null, "email" varchar(320) not null, "user_id" uuid null, "code_hash" varchar(64) not null, "link_hash" varchar(64) not null, "browser_hash" varchar(64) not null, "app" varchar(16) not null, "ip" varchar(64) not null default '', "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "attempts" int not null default 0, constraint "login_request_pkey" primary key ("id"));`,
    );
    this.addSql(`create unique index "login_request_link_hash_unique" on "login_request" ("link_hash");`);
    this.addSql(`create index "login_request_email_index" on "login_request" ("email", "created_at");`);

    this.addSql(
      `create table "invitation" ("id" uuid not null, "gym_id" uuid not null, "email" varchar(320) not null, "role" varchar(16) not null, "token_hash" varchar(64) not null, "invited_by" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by" uuid null, "revoked_at" timestamptz null, constraint "invitation_pkey" primary key ("id"));`,
    );
    this.addSql(`create unique index "invitation_token_hash_unique" on "invitation" ("token_hash");`);
    this.addSql(`create index "invitation_gym_id_index" on "invitation" ("gym_id", "created_at");`);

    this.addSql(
      `create table "mail_outbox" ("id" uuid not null, "gym_id" uuid null, "to_address" varchar(320) not null, "template" varchar(32) not null, "subject" varchar(300) not null, "text" text not null, "html" text not null, "status" varchar(16) not null default 'queued', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" varchar(500) null, "created_at" timestamptz not null, "sent_at" timestamptz null, constraint "mail_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "mail_outbox_due_index" on "mail_outbox" ("status", "next_attempt_at");`);
    this.addSql(`create index "mail_outbox_gym_id_index" on "mail_outbox" ("gym_id", "created_at");`);

    this.addSql(
      `create table "auth_event" ("id" uuid not null, "at" timestamptz not null, "event" varchar(32) not null, "user_id" uuid null, "email" varchar(320) null, "method" varchar(32) null, "session_id" uuid null, "ip" varchar(64) not null default '', "user_agent" varchar(400) not null default '', "detail" jsonb not null default '{}', constraint "auth_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_event_user_id_index" on "auth_event" ("user_id", "at");`);
    // The sign-in log is append-only, like the audit log: the database itself refuses to change or remove a row.
    this.addSql(
      `create or replace function auth_event_append_only() returns trigger language plpgsql as $$ begin raise exception 'auth_event is append-only'; end $$;`,
    );
    this.addSql(
      `create trigger auth_event_no_change before update or delete on "auth_event" for each row execute function auth_event_append_only();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auth_event" cascade;`);
    this.addSql(`drop function if exists auth_event_append_only();`);
    this.addSql(`drop table if exists "mail_outbox" cascade;`);
    this.addSql(`drop table if exists "invitation" cascade;`);
    this.addSql(`drop table if exists "login_request" cascade;`);
    this.addSql(`drop table if exists "refresh_token" cascade;`);
    this.addSql(`drop table if exists "auth_session" cascade;`);
  }
}
