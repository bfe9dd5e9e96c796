import { DefaultMessages, ErrorCodes, type ErrorCode } from "../errors.js";
import type { ErrorBody } from "../protocol/envelope.js";

/** Answer to a command sent while offline: the UI disables actions instead of queueing them. */
export const OfflineError: ErrorBody = { code: ErrorCodes.UNAVAILABLE, message: "You're offline — reconnecting…" };

/** No answer after every retry: the outcome is unknown, so say so. */
export const NoAnswerError: ErrorBody = {
  code: ErrorCodes.UNAVAILABLE,
  message: "No answer from Spotter — check your connection, then look before trying again.",
};

/** The server answered something that is not an ack. */
export const MalformedAnswerError: ErrorBody = { code: ErrorCodes.INTERNAL, message: DefaultMessages.INTERNAL };

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && code in DefaultMessages;
}

/**
 * Words for an error: the server's message when it sent one, else the default for its code.
 *
 * @example
 * if (!ack.ok) toast.error(errorMessage(ack.error));
 */
export function errorMessage(error: { code?: unknown; message?: unknown } | null | undefined): string {
  if (error && typeof error.message === "string" && error.message.trim() !== "") return error.message;
  if (error && isErrorCode(error.code)) return DefaultMessages[error.code];
  return DefaultMessages.INTERNAL;
}
