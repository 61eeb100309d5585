/** Running the CLI in-process with its output captured (the GitHub Action, tests). */
import { main } from './main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    env,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(new Uint8Array()),
  });
  return { code, stdout, stderr };
}
