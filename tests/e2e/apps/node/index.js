const fs = require("fs");
const isNumber = require("is-number");

let writable = true;
try {
  fs.accessSync(process.cwd(), fs.constants.W_OK);
} catch {
  writable = false;
}
console.log(`hello from node is-number=${isNumber(42)} uid=${process.getuid()} cwd=${process.cwd()} writable=${writable}`);
