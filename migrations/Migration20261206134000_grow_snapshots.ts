import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 22, second part: a gym's bulk messages counted per hour (a partial index of the audit log), per-class
 * snapshots of ended classes and daily KPI snapshots (the owner's reports read them plus today's live part).
 */
export class Migration20261206134000_grow_snapshots extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "audit_log_segment_message_index" on "audit_log" ("gym_id", "at") where "action" = 'gym:segmentMessage';`);
    // A completed class's figures, counted once: a completed session's bookings no longer change (CLASS_COMPLETED).
    this.addSql(`create table "class_stat" (
      "session_id" uuid not null, "gym_id" uuid not null, "starts_at" timestamptz not null, "class_type_id" uuid not null, "coach_id" uuid null,
      "capacity" int not null, "taken" int not null, "here" int not null, "no_shows" int not null, "late" int not null, "waited" int not null,
      "stored_at" timestamptz not null, constraint "class_stat_pkey" primary key ("session_id"));`);
    this.addSql(`create index "class_stat_gym_id_starts_at_index" on "class_stat" ("gym_id", "starts_at");`);
    // One row per gym and gym-local day once the day is over; active members only when stored the day after.
    this.addSql(`create table "gym_kpi_day" (
      "gym_id" uuid not null, "day" varchar(10) not null, "visits" int not null, "bookings" int not null, "no_shows" int not null,
      "late_cancels" int not null, "joined" int not null, "leads" int not null, "sales_cents" bigint not null, "fees_cents" bigint not null,
      "active_members" int null, "stored_at" timestamptz not null, constraint "gym_kpi_day_pkey" primary key ("gym_id", "day"));`);
    // Tours of the gym a lead can book on the public form (docs/domain.md "Leads and trials"); capacity 0 closes a slot.
    this.addSql(
      `create table "tour_slot" ("id" uuid not null, "gym_id" uuid not null, "starts_at" timestamptz not null, "capacity" int not null, "created_by" uuid not null, "updated_at" timestamptz not null, constraint "tour_slot_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "tour_slot_gym_id_starts_at_index" on "tour_slot" ("gym_id", "starts_at");`);
    this.addSql(
      `create table "tour_booking" ("id" uuid not null, "gym_id" uuid not null, "slot_id" uuid not null, "lead_id" uuid not null, "created_at" timestamptz not null, constraint "tour_booking_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "tour_booking" add constraint "tour_booking_slot_id_lead_id_unique" unique ("slot_id", "lead_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tour_slot";`);
    this.addSql(`drop table if exists "tour_booking";`);
    this.addSql(`drop index if exists "audit_log_segment_message_index";`);
    this.addSql(`drop table if exists "class_stat";`);
    this.addSql(`drop table if exists "gym_kpi_day";`);
  }
}
