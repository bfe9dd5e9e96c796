/**
 * Spotter's shared UI kit (used by web-admin and member-web): live-room controllers, the offline
 * banner, toasts, capacity bar, member chip, and formatting helpers.
 */
import "./capacity-bar.js";
import "./member-chip.js";
import "./error-toast.js";
import "./offline-banner.js";

export { CapacityBar } from "./capacity-bar.js";
export { MemberChip } from "./member-chip.js";
export { ErrorToast } from "./error-toast.js";
export { OfflineBanner } from "./offline-banner.js";
export { RoomController } from "./RoomController.js";
export { ConnectionController } from "./ConnectionController.js";
export { toasts, ToastService, type Toast } from "./toasts.js";
export { denialMessage, errorMessage } from "./messages.js";
export { formatDay, formatMoney, formatPercent, formatTime, formatWhen, localDate } from "./format.js";
