// The "bundler" of this app: copies src/ to dist/ and stamps the page with a value
// computed by a dependency, so the page proves the dependency was installed and ran.
const fs = require("fs");
const path = require("path");
const isNumber = require("is-number");

fs.rmSync("dist", { recursive: true, force: true });
fs.mkdirSync("dist/assets", { recursive: true });
const page = fs.readFileSync(path.join("src", "index.html"), "utf8");
fs.writeFileSync("dist/index.html", page.replace("{{built}}", `is-number=${isNumber(42)}`));
fs.copyFileSync(path.join("src", "app.js"), "dist/assets/app.js");
