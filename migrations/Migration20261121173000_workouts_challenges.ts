import { Migration } from "@mikro-orm/migrations";

export class Migration20261121173000_workouts_challenges extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "challenge" ("id" uuid not null, "gym_id" uuid not null, "title" varchar(120) not null, "kind" varchar(16) not null, "target" int not null, "movement" varchar(80) null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "created_by" uuid not null, "created_at" timestamptz not null, constraint "challenge_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "challenge_gym_id_ends_at_index" on "challenge" ("gym_id", "ends_at");`);

    this.addSql(
      `create table "challenge_participant" ("id" uuid not null, "challenge_id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "status" varchar(16) not null, "joined_at" timestamptz not null, "progress" int not null, "completed_at" timestamptz null, constraint "challenge_participant_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "challenge_participant_gym_id_member_id_index" on "challenge_participant" ("gym_id", "member_id");`);
    this.addSql(`create index "challenge_participant_member_id_index" on "challenge_participant" ("member_id");`);
    this.addSql(
      `alter table "challenge_participant" add constraint "challenge_participant_challenge_id_member_id_unique" unique ("challenge_id", "member_id");`,
    );

    this.addSql(
      `create table "challenge_submission" ("id" uuid not null, "challenge_id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "workout_log_id" uuid null, "amount" int not null, "status" varchar(16) not null, "created_at" timestamptz not null, "reviewed_by" uuid null, "reviewed_at" timestamptz null, constraint "challenge_submission_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "challenge_submission_challenge_id_member_id_index" on "challenge_submission" ("challenge_id", "member_id");`,
    );
    this.addSql(`create index "challenge_submission_gym_id_status_index" on "challenge_submission" ("gym_id", "status");`);
    this.addSql(`create index "challenge_submission_member_id_index" on "challenge_submission" ("member_id");`);

    this.addSql(
      `create table "member_progress" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "xp" int not null, "workouts" int not null, "streak" int not null, "best_streak" int not null, "updated_at" timestamptz not null, constraint "member_progress_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "member_progress_member_id_index" on "member_progress" ("member_id");`);
    this.addSql(`alter table "member_progress" add constraint "member_progress_gym_id_member_id_unique" unique ("gym_id", "member_id");`);

    this.addSql(
      `create table "personal_best" ("id" uuid not null, "member_id" uuid not null, "record_key" varchar(120) not null, "movement" varchar(80) not null, "kind" varchar(8) not null, "value" int not null, "set_id" uuid not null, "achieved_at" timestamptz not null, constraint "personal_best_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "personal_best" add constraint "personal_best_member_id_record_key_unique" unique ("member_id", "record_key");`,
    );

    this.addSql(
      `create table "workout_exercise" ("id" uuid not null, "log_id" uuid not null, "member_id" uuid not null, "position" int not null, "movement" varchar(80) not null, constraint "workout_exercise_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "workout_exercise_log_id_index" on "workout_exercise" ("log_id");`);
    this.addSql(`create index "workout_exercise_member_id_index" on "workout_exercise" ("member_id");`);

    this.addSql(
      `create table "workout_log" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "title" varchar(200) null, "performed_at" timestamptz not null, "command_id" varchar(64) null, "volume" double precision not null, "distance_meters" double precision not null, "pr_count" int not null, "xp" int not null, "result" jsonb not null, constraint "workout_log_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "workout_log_gym_id_performed_at_index" on "workout_log" ("gym_id", "performed_at");`);
    this.addSql(`create index "workout_log_member_id_performed_at_index" on "workout_log" ("member_id", "performed_at");`);
    this.addSql(`alter table "workout_log" add constraint "workout_log_member_id_command_id_unique" unique ("member_id", "command_id");`);

    this.addSql(
      `create table "workout_set" ("id" uuid not null, "log_id" uuid not null, "exercise_id" uuid not null, "member_id" uuid not null, "position" int not null, "reps" int null, "grams" int null, "ms" int null, "meters" int null, "is_pr" boolean not null, constraint "workout_set_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "workout_set_log_id_index" on "workout_set" ("log_id");`);
    this.addSql(`create index "workout_set_member_id_index" on "workout_set" ("member_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "challenge" cascade;`);

    this.addSql(`drop table if exists "challenge_participant" cascade;`);

    this.addSql(`drop table if exists "challenge_submission" cascade;`);

    this.addSql(`drop table if exists "member_progress" cascade;`);

    this.addSql(`drop table if exists "personal_best" cascade;`);

    this.addSql(`drop table if exists "workout_exercise" cascade;`);

    this.addSql(`drop table if exists "workout_log" cascade;`);

    this.addSql(`drop table if exists "workout_set" cascade;`);
  }
}
