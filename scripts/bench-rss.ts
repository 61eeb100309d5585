/**
 * Preloaded (`node --import`) into every process `npm run bench` times: at exit it writes the
 * process's peak resident set size and its CPU time (user + system) to standard error, on a line
 * the bench picks up.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  // maxRSS is in KiB, CPU times in microseconds.
  writeSync(2, `\nkubewire-bench-peak-rss-kib=${usage.maxRSS} cpu-us=${usage.userCPUTime + usage.systemCPUTime}\n`);
});
