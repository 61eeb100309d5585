/**
 * The hostile-input suite (scripts/hostile.ts): every case is written into a temporary folder and run
 * through the real CLI in a child process. Fast cases run here; large ones with KUBEWIRE_HOSTILE=all
 * (and in `npm run bench`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostileCases, runHostileCase } from '../scripts/hostile.js';

const everything = process.env.KUBEWIRE_HOSTILE === 'all';

describe('hostile input', () => {
  for (const c of hostileCases()) {
    const skip = c.large === true && !everything ? 'large: KUBEWIRE_HOSTILE=all or npm run bench' : false;
    it(c.name, { skip }, (t) => {
      const result = runHostileCase(c);
      if (result.skipped !== undefined) {
        t.skip(result.skipped);
        return;
      }
      assert.deepEqual(result.problems, []);
    });
  }
});
