/** Process entry point of the GitHub Action (action.yml runs `node dist/src/cli/action-run.js`). */
import { runAction } from './action.js';

process.exitCode = await runAction({ ...process.env }, process.stdout);
