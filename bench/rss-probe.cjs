// Preloaded into a benchmarked Node child with `node --require bench/rss-probe.cjs ...`: at exit it
// writes the process's peak resident set size (KiB, from getrusage via libuv) to the file named
// by SYNTHPROOF_BENCH_RSS_FILE. Works on any Node >= 12 and any OS, with no extra tools.
const fs = require("node:fs");

const out = process.env.SYNTHPROOF_BENCH_RSS_FILE;
if (out) {
  process.on("exit", () => {
    fs.writeFileSync(out, `${process.resourceUsage().maxRSS}\n`);
  });
}
