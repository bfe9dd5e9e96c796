export * from "./cursor.js";
export * from "./events.js";
export * from "./social.js";
export * from "./visibility.js";
