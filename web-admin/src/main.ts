import "./spotter-admin.js";
