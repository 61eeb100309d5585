/** Counts shared by the formatters. */
import type { Finding } from '../types.js';
import type { TextsByFile } from './fingerprint.js';

export interface Summary {
  files: number;
  objects: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(findings: readonly Finding[], files: number, objects: number): Summary {
  const s: Summary = { files, objects, errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    else s.infos++;
  }
  return s;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What every formatter receives. */
export interface FormatInput {
  findings: readonly Finding[];
  summary: Summary;
  /** Text of each linted file by its path, for code frames. */
  texts: TextsByFile;
  /** Fingerprints of the findings (same order), when the caller computed them (baselines); see fingerprint.ts. */
  fingerprints?: readonly string[];
}
