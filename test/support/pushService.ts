/** The local Web Push service lives with the scripts (the bench uses it too). */
export * from "../../scripts/lib/pushService.js";
