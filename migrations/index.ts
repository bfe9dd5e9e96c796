import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261121142928_initial as M0 } from "./Migration20261121142928_initial.js";
import { Migration20261121143523_calendar_feed as M1 } from "./Migration20261121143523_calendar_feed.js";
import { Migration20261121154109_audit_chain as M2 } from "./Migration20261121154109_audit_chain.js";
import { Migration20261121160215_privacy_rights as M3 } from "./Migration20261121160215_privacy_rights.js";
import { Migration20261121160434_workouts_leaderboard as M4 } from "./Migration20261121160434_workouts_leaderboard.js";
import { Migration20261121172428_feed as M5 } from "./Migration20261121172428_feed.js";
import { Migration20261121173000_workouts_challenges as M6 } from "./Migration20261121173000_workouts_challenges.js";
import { Migration20261121173524_progress_active_day as M7 } from "./Migration20261121173524_progress_active_day.js";
import { Migration20261121174000_workout_description as M8 } from "./Migration20261121174000_workout_description.js";
import { Migration20261121180548_challenge_result_source as M9 } from "./Migration20261121180548_challenge_result_source.js";
import { Migration20261206031409_member_self_check_in as M10 } from "./Migration20261206031409_member_self_check_in.js";
import { Migration20261206032204_audit_outbox as M11 } from "./Migration20261206032204_audit_outbox.js";
import { Migration20261206043500_room_audit_chains as M12 } from "./Migration20261206043500_room_audit_chains.js";
import { Migration20261206043501_room_outbox as M13 } from "./Migration20261206043501_room_outbox.js";
import { Migration20261206044000_token_revocation as M14 } from "./Migration20261206044000_token_revocation.js";
import { Migration20261206061500_room_commit_guards as M15 } from "./Migration20261206061500_room_commit_guards.js";
import { Migration20261206063000_plans_ledger as M16 } from "./Migration20261206063000_plans_ledger.js";
import { Migration20261206064000_member_profile_freeze as M17 } from "./Migration20261206064000_member_profile_freeze.js";
import { Migration20261206072000_sign_in as M18 } from "./Migration20261206072000_sign_in.js";
import { Migration20261206072300_signin_factors as M19 } from "./Migration20261206072300_signin_factors.js";
import { Migration20261206100000_offline_desk as M20 } from "./Migration20261206100000_offline_desk.js";
import { Migration20261206110000_leads_segments as M21 } from "./Migration20261206110000_leads_segments.js";
import { Migration20261206111000_secrets_at_rest as M22 } from "./Migration20261206111000_secrets_at_rest.js";
import { Migration20261206111100_self_sign_up as M23 } from "./Migration20261206111100_self_sign_up.js";
import { Migration20261206111200_notices as M24 } from "./Migration20261206111200_notices.js";
import { Migration20261206120000_waivers_overrides as M25 } from "./Migration20261206120000_waivers_overrides.js";
import { Migration20261206130500_gym_setup as MSetup } from "./Migration20261206130500_gym_setup.js";
import { Migration20261206133000_notice_quiet_hours as M26 } from "./Migration20261206133000_notice_quiet_hours.js";
import { Migration20261206134000_grow_snapshots as M27 } from "./Migration20261206134000_grow_snapshots.js";
import { Migration20261206134000_member_photos as MPhotos } from "./Migration20261206134000_member_photos.js";
import { Migration20261206135000_membership_status_changes as MStatus } from "./Migration20261206135000_membership_status_changes.js";
import { Migration20261206150000_waiver_alerts as MWaiverAlerts } from "./Migration20261206150000_waiver_alerts.js";
import { Migration20261206151700_charge_refunds as MRefunds } from "./Migration20261206151700_charge_refunds.js";
import { Migration20261206154000_class_rooms as MClassRooms } from "./Migration20261206154000_class_rooms.js";
import { Migration20261206175500_plan_dates_freeze_end as MPlanDates } from "./Migration20261206175500_plan_dates_freeze_end.js";
import { Migration20261206213000_recurring_dues as MRecurringDues } from "./Migration20261206213000_recurring_dues.js";
import { Migration20261206183000_policy_documents as MPolicyDocuments } from "./Migration20261206183000_policy_documents.js";
import { Migration20261207050000_opening_index as MOpeningIndex } from "./Migration20261207050000_opening_index.js";

/** Every migration, in order. Listed statically so Node, Vitest and Deno load them the same way. */
export const migrationsList: MigrationObject[] = [
  { name: "Migration20261121142928_initial", class: M0 },
  { name: "Migration20261121143523_calendar_feed", class: M1 },
  { name: "Migration20261121154109_audit_chain", class: M2 },
  { name: "Migration20261121160215_privacy_rights", class: M3 },
  { name: "Migration20261121160434_workouts_leaderboard", class: M4 },
  { name: "Migration20261121172428_feed", class: M5 },
  { name: "Migration20261121173000_workouts_challenges", class: M6 },
  { name: "Migration20261121173524_progress_active_day", class: M7 },
  { name: "Migration20261121174000_workout_description", class: M8 },
  { name: "Migration20261121180548_challenge_result_source", class: M9 },
  { name: "Migration20261206031409_member_self_check_in", class: M10 },
  { name: "Migration20261206032204_audit_outbox", class: M11 },
  { name: "Migration20261206043500_room_audit_chains", class: M12 },
  { name: "Migration20261206043501_room_outbox", class: M13 },
  { name: "Migration20261206044000_token_revocation", class: M14 },
  { name: "Migration20261206061500_room_commit_guards", class: M15 },
  { name: "Migration20261206063000_plans_ledger", class: M16 },
  { name: "Migration20261206064000_member_profile_freeze", class: M17 },
  { name: "Migration20261206072000_sign_in", class: M18 },
  { name: "Migration20261206072300_signin_factors", class: M19 },
  { name: "Migration20261206100000_offline_desk", class: M20 },
  { name: "Migration20261206110000_leads_segments", class: M21 },
  { name: "Migration20261206111000_secrets_at_rest", class: M22 },
  { name: "Migration20261206111100_self_sign_up", class: M23 },
  { name: "Migration20261206111200_notices", class: M24 },
  { name: "Migration20261206120000_waivers_overrides", class: M25 },
  { name: "Migration20261206130500_gym_setup", class: MSetup },
  { name: "Migration20261206133000_notice_quiet_hours", class: M26 },
  { name: "Migration20261206134000_grow_snapshots", class: M27 },
  { name: "Migration20261206134000_member_photos", class: MPhotos },
  { name: "Migration20261206135000_membership_status_changes", class: MStatus },
  { name: "Migration20261206150000_waiver_alerts", class: MWaiverAlerts },
  { name: "Migration20261206151700_charge_refunds", class: MRefunds },
  { name: "Migration20261206154000_class_rooms", class: MClassRooms },
  { name: "Migration20261206175500_plan_dates_freeze_end", class: MPlanDates },
  { name: "Migration20261206183000_policy_documents", class: MPolicyDocuments },
  { name: "Migration20261206213000_recurring_dues", class: MRecurringDues },
  { name: "Migration20261207050000_opening_index", class: MOpeningIndex },
];
