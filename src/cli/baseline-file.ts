/** `--baseline FILE` and `--write-baseline FILE`: reading and writing the baseline, and applying it. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyBaseline, createBaseline, parseBaseline } from '../baseline.js';
import type { Baseline } from '../baseline.js';
import type { TextsByFile } from '../format/fingerprint.js';
import type { SarifOptions } from '../format/sarif.js';
import { plural } from '../format/summary.js';
import type { Finding } from '../types.js';
import { UsageError } from './files.js';
import type { Io } from './input.js';

export interface BaselineFlags {
  baseline?: string;
  writeBaseline?: string;
}

export interface BaselineOutcome {
  findings: Finding[];
  fingerprints?: string[];
  sarif?: SarifOptions['baseline'];
}

async function readBaseline(file: string, io: Io): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read the baseline ${file}: ${code === 'ENOENT' ? 'no such file (create it with --write-baseline)' : (error as Error).message}`,
    );
  }
  const parsed = parseBaseline(text);
  if (typeof parsed === 'string') throw new UsageError(`the baseline ${file} is ${parsed}`);
  return parsed;
}

/**
 * Write the baseline when asked, then leave out the findings it holds. `findings` are those of the
 * report before `--quiet`; `linted` are the files linted (given), whose entries alone can be stale.
 */
export async function baselineStep(
  flags: BaselineFlags,
  findings: readonly Finding[],
  texts: TextsByFile,
  linted: ReadonlySet<string>,
  io: Io,
): Promise<BaselineOutcome> {
  let baseline: Baseline;
  let file: string;
  if (flags.writeBaseline !== undefined) {
    file = flags.writeBaseline;
    baseline = createBaseline(findings, texts);
    const target = path.resolve(io.cwd, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(baseline, null, 2)}\n`);
    io.stderr.write(`kubewire: recorded ${plural(findings.length, 'finding')} in the baseline ${file}\n`);
  } else if (flags.baseline !== undefined) {
    file = flags.baseline;
    baseline = await readBaseline(file, io);
  } else {
    return { findings: [...findings] };
  }
  const result = applyBaseline(findings, texts, baseline, linted);
  if (result.stale.length > 0) {
    const shown = result.stale.slice(0, 5).map((e) => `  ${e.file}:${e.line}  ${e.ruleId}  ${e.object}`.trimEnd());
    const more = result.stale.length > shown.length ? [`  … and ${result.stale.length - shown.length} more`] : [];
    io.stderr.write(
      [
        `kubewire: note: ${result.stale.length} ${result.stale.length === 1 ? 'entry' : 'entries'} of the baseline ${file} no longer ${result.stale.length === 1 ? 'matches' : 'match'} any finding (fixed, or changed):`,
        ...shown,
        ...more,
        `kubewire: shrink the baseline with --write-baseline ${file}`,
        '',
      ].join('\n'),
    );
  }
  return {
    findings: result.fresh,
    fingerprints: result.freshFingerprints,
    sarif: {
      file,
      states: result.fresh.map(() => 'new' as const),
      accepted: result.accepted,
      acceptedFingerprints: result.acceptedFingerprints,
    },
  };
}
