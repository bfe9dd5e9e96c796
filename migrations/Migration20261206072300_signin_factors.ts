import { Migration } from "@mikro-orm/migrations";

export class Migration20261206072300_signin_factors extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "auth_challenge" ("id" varchar(64) not null, "purpose" varchar(32) not null, "user_id" uuid null, "payload" jsonb not null, "expires_at" timestamptz not null, constraint "auth_challenge_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_challenge_expires_at_index" on "auth_challenge" ("expires_at");`);

    this.addSql(
      `create table "gym_factor_policy" ("gym_id" uuid not null, "passwords_allowed" boolean not null default false, "staff_second_factor" boolean not null default false, "updated_at" timestamptz not null, constraint "gym_factor_policy_pkey" primary key ("gym_id"));`,
    );

    this.addSql(
      `create table "gym_identity_provider" ("gym_id" uuid not null, "issuer" varchar(500) not null, "client_id" varchar(200) not null, "client_secret" varchar(500) null, "display_name" varchar(100) not null, constraint "gym_identity_provider_pkey" primary key ("gym_id"));`,
    );

    this.addSql(
      `create table "oidc_identity" ("issuer" varchar(500) not null, "subject" varchar(255) not null, "user_id" uuid not null, "created_at" timestamptz not null, constraint "oidc_identity_pkey" primary key ("issuer", "subject"));`,
    );
    this.addSql(`create index "oidc_identity_user_id_index" on "oidc_identity" ("user_id");`);

    this.addSql(
      `create table "passkey_credential" ("id" varchar(1024) not null, "user_id" uuid not null, "public_key" bytea not null, "counter" bigint not null default 0, "transports" jsonb not null, "device_type" varchar(32) not null, "backed_up" boolean not null, "name" varchar(100) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, constraint "passkey_credential_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "passkey_credential_user_id_index" on "passkey_credential" ("user_id");`);

    this.addSql(
      `create table "password_credential" ("user_id" uuid not null, "hash" varchar(255) not null, "updated_at" timestamptz not null, constraint "password_credential_pkey" primary key ("user_id"));`,
    );

    this.addSql(
      `create table "totp_factor" ("user_id" uuid not null, "secret" varchar(128) not null, "confirmed_at" timestamptz null, "last_time_step" bigint null, "created_at" timestamptz not null, constraint "totp_factor_pkey" primary key ("user_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auth_challenge" cascade;`);

    this.addSql(`drop table if exists "gym_factor_policy" cascade;`);

    this.addSql(`drop table if exists "gym_identity_provider" cascade;`);

    this.addSql(`drop table if exists "oidc_identity" cascade;`);

    this.addSql(`drop table if exists "passkey_credential" cascade;`);

    this.addSql(`drop table if exists "password_credential" cascade;`);

    this.addSql(`drop table if exists "totp_factor" cascade;`);
  }
}
