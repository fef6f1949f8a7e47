// Preloaded with `node --import ./bench/max-rss.mjs …`: when the process exits, writes its own
// resource use to the file named by CARE_WINDOW_MAX_RSS_FILE, as JSON: the peak resident set
// size (`maxRSS`, KiB) and the CPU time it used (`cpuMs`, user + system), from
// process.resourceUsage(). Used by the CLI's large-log test and benchmark to measure the child
// itself, not the test runner; CPU time is the figure a shared machine disturbs least.
import { writeFileSync } from "node:fs";
import process from "node:process";

const file = process.env.CARE_WINDOW_MAX_RSS_FILE;
if (file !== undefined && file !== "") {
  process.on("exit", () => {
    const use = process.resourceUsage();
    const cpuMs = (use.userCPUTime + use.systemCPUTime) / 1000;
    writeFileSync(file, `${JSON.stringify({ maxRSS: use.maxRSS, cpuMs })}\n`);
  });
}
