import { Migration } from "@mikro-orm/migrations";

export class Migration20261121160434_workouts_leaderboard extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "class_workout" ("id" uuid not null, "gym_id" uuid not null, "session_id" uuid not null, "title" varchar(200) not null, "score_type" varchar(16) not null, "divisions" jsonb not null, "set_by" uuid not null, "set_at" timestamptz not null, constraint "class_workout_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "class_workout" add constraint "class_workout_session_id_unique" unique ("session_id");`);

    this.addSql(
      `create table "workout_result" ("id" uuid not null, "gym_id" uuid not null, "session_id" uuid not null, "workout_id" uuid not null, "member_id" uuid not null, "score" jsonb not null, "division" varchar(16) not null, "submitted_at" timestamptz not null, "logged_by" uuid not null, constraint "workout_result_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "workout_result_session_id_index" on "workout_result" ("session_id");`);
    this.addSql(
      `create index "workout_result_gym_id_member_id_submitted_at_index" on "workout_result" ("gym_id", "member_id", "submitted_at");`,
    );
    this.addSql(
      `alter table "workout_result" add constraint "workout_result_workout_id_member_id_unique" unique ("workout_id", "member_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "class_workout" cascade;`);

    this.addSql(`drop table if exists "workout_result" cascade;`);
  }
}
