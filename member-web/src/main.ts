import "./member-app.js";
