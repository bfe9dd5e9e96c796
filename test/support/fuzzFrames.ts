// Moved to scripts/lib/ so `npm run fuzz` needs nothing from test/; tests keep importing it from here.
export * from "../../scripts/lib/fuzzFrames.js";
