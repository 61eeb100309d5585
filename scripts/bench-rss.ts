/**
 * Preloaded (`node --import`) into every process `npm run bench` times: at exit it writes the
 * process's peak resident set size to standard error, on a line the bench picks up.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  // maxRSS is in KiB.
  writeSync(2, `\nkubewire-bench-peak-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
