#!/usr/bin/env node
// A check for `synthproof sweep`: fails (exit 1) when the data set in DIR has more than LIMIT rows
// (default 5000). The data set's rows are those of every CSV file its manifest.json lists, except
// truth files (names starting with "truth"). Usage: node max-rows.mjs DIR [LIMIT]
import * as fs from "node:fs";
import * as path from "node:path";

const [dir = process.env.SYNTHPROOF_DIR, limitText = "5000"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node max-rows.mjs DIR [LIMIT]");
  process.exit(2);
}
const limit = Number(limitText);
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
const dataFiles = Object.keys(manifest.files).filter((f) => f.endsWith(".csv") && !path.basename(f).startsWith("truth") && !f.startsWith("truth/"));
if (dataFiles.length === 0) {
  console.error(`no CSV data file is listed in ${dir}/manifest.json (generate with format csv)`);
  process.exit(2);
}
let rows = 0;
for (const f of dataFiles) {
  const text = fs.readFileSync(path.join(dir, f), "utf8");
  let lines = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  rows += Math.max(0, lines - 1); // the header
}
if (rows > limit) {
  console.log(`${rows} rows in ${dataFiles.join(", ")}: more than ${limit}`);
  process.exit(1);
}
console.log(`${rows} rows: at most ${limit}`);
