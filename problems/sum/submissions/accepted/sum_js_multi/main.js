const fs = require("fs");
const { add } = require("./adder");

const [a, b] = fs.readFileSync(0, "utf8").trim().split(/\s+/).map(BigInt);
console.log(add(a, b).toString());
