import { EntitySchema } from "@mikro-orm/core";
import { EpochMsType } from "../EpochMsType.js";

/** One signed-in device: a family of rotating refresh tokens. Ended sessions stay (the "where I'm signed in" history). */
export interface AuthSession {
  id: string;
  userId: string;
  method: string;
  factors: string[];
  userAgent: string;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  expiresAt: number;
  endedAt: number | null;
  endReason: string | null;
}

export const AuthSessionEntity = new EntitySchema<AuthSession>({
  name: "AuthSession",
  tableName: "auth_session",
  properties: {
    id: { type: "uuid", primary: true },
    userId: { type: "uuid", index: true },
    method: { type: "string", length: 32 },
    factors: { type: "json", default: "'[]'" },
    userAgent: { type: "string", length: 400, default: "" },
    ip: { type: "string", length: 64, default: "" },
    createdAt: { type: EpochMsType },
    lastSeenAt: { type: EpochMsType },
    idleExpiresAt: { type: EpochMsType },
    expiresAt: { type: EpochMsType },
    endedAt: { type: EpochMsType, nullable: true, index: true },
    endReason: { type: "string", length: 32, nullable: true },
  },
});

/** Every refresh token a session was given (SHA-256 of it): a used one presented again is a replay. */
export interface RefreshToken {
  hash: string;
  sessionId: string;
  issuedAt: number;
  usedAt: number | null;
}

export const RefreshTokenEntity = new EntitySchema<RefreshToken>({
  name: "RefreshToken",
  tableName: "refresh_token",
  properties: {
    hash: { type: "string", length: 64, primary: true },
    sessionId: { type: "uuid", index: true },
    issuedAt: { type: EpochMsType },
    usedAt: { type: EpochMsType, nullable: true },
  },
});

/** An email sign-in request: a 6-digit code and a link (both hashed), bound to the browser that asked. */
export interface LoginRequest {
  id: string;
  email: string;
  userId: string | null;
  codeHash: string;
  linkHash: string;
  browserHash: string;
  app: string;
  ip: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  attempts: number;
}

export const LoginRequestEntity = new EntitySchema<LoginRequest>({
  name: "LoginRequest",
  tableName: "login_request",
  indexes: [{ name: "login_request_email_index", properties: ["email", "createdAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    email: { type: "string", length: 320 },
    userId: { type: "uuid", nullable: true },
    codeHash: { type: "string", length: 64 },
    linkHash: { type: "string", length: 64, unique: "login_request_link_hash_unique" },
    browserHash: { type: "string", length: 64 },
    app: { type: "string", length: 16 },
    ip: { type: "string", length: 64, default: "" },
    createdAt: { type: EpochMsType },
    expiresAt: { type: EpochMsType },
    usedAt: { type: EpochMsType, nullable: true },
    attempts: { type: "integer", default: 0 },
  },
});

/** A single-use invitation into a gym with a role (the first owner's setup link is one). */
export interface Invitation {
  id: string;
  gymId: string;
  email: string;
  role: string;
  tokenHash: string;
  invitedBy: string | null;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedBy: string | null;
  revokedAt: number | null;
  /** Self sign-up: the policy versions accepted when asking (consent rows on acceptance). */
  consents?: Record<string, string> | null;
}

export const InvitationEntity = new EntitySchema<Invitation>({
  name: "Invitation",
  tableName: "invitation",
  indexes: [{ name: "invitation_gym_id_index", properties: ["gymId", "createdAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    email: { type: "string", length: 320 },
    role: { type: "string", length: 16 },
    tokenHash: { type: "string", length: 64, unique: "invitation_token_hash_unique" },
    invitedBy: { type: "uuid", nullable: true },
    createdAt: { type: EpochMsType },
    expiresAt: { type: EpochMsType },
    acceptedAt: { type: EpochMsType, nullable: true },
    acceptedBy: { type: "uuid", nullable: true },
    revokedAt: { type: EpochMsType, nullable: true },
    consents: { type: "json", nullable: true },
  },
});

/** A message waiting to be sent, being retried, sent or given up on. */
export interface MailOutbox {
  id: string;
  gymId: string | null;
  toAddress: string;
  template: string;
  subject: string;
  text: string;
  html: string;
  status: "queued" | "sent" | "failed";
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export const MailOutboxEntity = new EntitySchema<MailOutbox>({
  name: "MailOutbox",
  tableName: "mail_outbox",
  indexes: [
    { name: "mail_outbox_due_index", properties: ["status", "nextAttemptAt"] },
    { name: "mail_outbox_gym_id_index", properties: ["gymId", "createdAt"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid", nullable: true },
    toAddress: { type: "string", length: 320 },
    template: { type: "string", length: 32 },
    subject: { type: "string", length: 300 },
    text: { type: "text" },
    html: { type: "text" },
    status: { type: "string", length: 16, default: "queued" },
    attempts: { type: "integer", default: 0 },
    nextAttemptAt: { type: EpochMsType },
    lastError: { type: "string", length: 500, nullable: true },
    createdAt: { type: EpochMsType },
    sentAt: { type: EpochMsType, nullable: true },
  },
});

/** The sign-in log (append-only): every sign-in, failure, refresh replay and session end. */
export interface AuthEvent {
  id: string;
  at: number;
  event: string;
  userId: string | null;
  email: string | null;
  method: string | null;
  sessionId: string | null;
  ip: string;
  userAgent: string;
  detail: unknown;
}

export const AuthEventEntity = new EntitySchema<AuthEvent>({
  name: "AuthEvent",
  tableName: "auth_event",
  indexes: [{ name: "auth_event_user_id_index", properties: ["userId", "at"] }],
  properties: {
    id: { type: "uuid", primary: true },
    at: { type: EpochMsType },
    event: { type: "string", length: 32 },
    userId: { type: "uuid", nullable: true },
    email: { type: "string", length: 320, nullable: true },
    method: { type: "string", length: 32, nullable: true },
    sessionId: { type: "uuid", nullable: true },
    ip: { type: "string", length: 64, default: "" },
    userAgent: { type: "string", length: 400, default: "" },
    detail: { type: "json", default: "'{}'" },
  },
});
