import { AuditOutboxEntity } from "./auditOutbox.js";
import { factorEntities } from "./factors.js";
import { AttendanceEventEntity, BookingEntity, CheckInEntity, FeeEntity, WaitlistEntryEntity } from "./attendance.js";
import {
  FeedBlockEntity,
  FeedCommentEntity,
  FeedEventEntity,
  FeedFollowEntity,
  FeedReactionEntity,
  FeedSettingEntity,
  ModerationItemEntity,
} from "./feed.js";
import { LeadEntity, LeadTouchEntity, SegmentEntity, TrialFormEntity } from "./leads.js";
import { ClassStatEntity, GymKpiDayEntity } from "./reports.js";
import { TourBookingEntity, TourSlotEntity } from "./tours.js";
import { CreditLedgerEntity, MemberChargeEntity, PlanAssignmentEntity } from "./ledger.js";
import { NoticeDeliveryEntity, NoticeEntity, NoticePreferenceEntity, NoticeQuietHoursEntity, PushSubscriptionEntity } from "./notices.js";
import {
  AuditHeadEntity,
  AuditLogEntity,
  CalendarFeedEntity,
  ProcessedCommandEntity,
  RoomFenceEntity,
  RoomOutboxEntity,
} from "./operations.js";
import { ConsentEntity, DeletionRequestEntity, LegalHoldEntity, TokenRevocationEntity } from "./privacy.js";
import {
  AuthEventEntity,
  AuthSessionEntity,
  InvitationEntity,
  LoginRequestEntity,
  MailOutboxEntity,
  RefreshTokenEntity,
} from "./signIn.js";
import { ClassSessionEntity, ClassTypeEntity, RecurringScheduleEntity } from "./schedule.js";
import { GymEntity, GymMembershipEntity, LocationEntity, LocationRoomEntity, MembershipPlanEntity, UserEntity } from "./tenancy.js";
import {
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  MemberProgressEntity,
  PersonalBestEntity,
  WorkoutExerciseEntity,
  WorkoutLogEntity,
  WorkoutSetEntity,
} from "./training.js";
import { ClassWorkoutEntity, WorkoutResultEntity } from "./workouts.js";
import { MemberPhotoEntity, WaiverAlertEntity, WaiverDocumentEntity, WaiverReminderEntity, WaiverSignatureEntity } from "./waivers.js";
import { MembershipStatusChangeEntity } from "./statusChanges.js";

export * from "./attendance.js";
export * from "./auditOutbox.js";
export * from "./factors.js";
export * from "./feed.js";
export * from "./leads.js";
export * from "./ledger.js";
export * from "./notices.js";
export * from "./operations.js";
export * from "./privacy.js";
export * from "./reports.js";
export * from "./tours.js";
export * from "./schedule.js";
export * from "./signIn.js";
export * from "./tenancy.js";
export * from "./training.js";
export * from "./workouts.js";
export * from "./waivers.js";
export * from "./statusChanges.js";

/** Every mapped entity, in one list for the ORM configuration. */
export const allEntities = [
  GymEntity,
  LocationEntity,
  LocationRoomEntity,
  UserEntity,
  MembershipPlanEntity,
  GymMembershipEntity,
  ClassTypeEntity,
  ClassSessionEntity,
  RecurringScheduleEntity,
  BookingEntity,
  WaitlistEntryEntity,
  CheckInEntity,
  FeeEntity,
  AttendanceEventEntity,
  ProcessedCommandEntity,
  AuditLogEntity,
  AuditHeadEntity,
  RoomFenceEntity,
  RoomOutboxEntity,
  NoticeEntity,
  NoticeDeliveryEntity,
  PushSubscriptionEntity,
  NoticePreferenceEntity,
  NoticeQuietHoursEntity,
  CalendarFeedEntity,
  ConsentEntity,
  DeletionRequestEntity,
  LegalHoldEntity,
  TokenRevocationEntity,
  ClassWorkoutEntity,
  WorkoutResultEntity,
  WorkoutLogEntity,
  WorkoutExerciseEntity,
  WorkoutSetEntity,
  PersonalBestEntity,
  MemberProgressEntity,
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  FeedEventEntity,
  FeedSettingEntity,
  FeedFollowEntity,
  FeedBlockEntity,
  FeedReactionEntity,
  FeedCommentEntity,
  ModerationItemEntity,
  AuditOutboxEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  LoginRequestEntity,
  InvitationEntity,
  MailOutboxEntity,
  AuthEventEntity,
  CreditLedgerEntity,
  MemberChargeEntity,
  PlanAssignmentEntity,
  WaiverDocumentEntity,
  WaiverSignatureEntity,
  WaiverReminderEntity,
  WaiverAlertEntity,
  MemberPhotoEntity,
  MembershipStatusChangeEntity,
  ...factorEntities,
  LeadEntity,
  LeadTouchEntity,
  TrialFormEntity,
  SegmentEntity,
  ClassStatEntity,
  GymKpiDayEntity,
  TourSlotEntity,
  TourBookingEntity,
];
