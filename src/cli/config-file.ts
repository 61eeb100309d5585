/** Finding and reading `.kubewire.yaml`. */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, parseConfig } from '../config.js';
import type { KubewireConfig } from '../config.js';
import { UsageError } from './files.js';

export interface LoadedConfig {
  config: KubewireConfig;
  /** The configuration file, or undefined when none was found. */
  file: string | undefined;
  /** Directory that relative paths in the configuration are relative to. */
  base: string;
}

export class ConfigFileError extends Error {}

/** The nearest configuration file from `dir` upward. */
export function findConfig(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      if (existsSync(candidate)) return candidate;
    }
    if (path.dirname(current) === current) return undefined;
  }
}

export async function loadConfig(
  cwd: string,
  explicit: string | undefined,
  knownRules: readonly string[],
): Promise<LoadedConfig> {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfig(cwd);
  if (file === undefined) return { config: EMPTY_CONFIG, file: undefined, base: cwd };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read configuration file ${explicit ?? file}: ` +
        (code === 'ENOENT' ? 'no such file' : (error as Error).message),
    );
  }
  const shown = path.relative(cwd, file) || file;
  const result = parseConfig(shown, text, knownRules);
  if (!result.ok) {
    throw new ConfigFileError(result.errors.map((e) => `${shown}:${e.line}:${e.column}: ${e.message}`).join('\n'));
  }
  return { config: result.config, file, base: path.dirname(file) };
}

/** A reported file path relative to the configuration's folder, '/'-separated; undefined outside it or for stdin. */
export function configRelative(file: string, cwd: string, base: string): string | undefined {
  if (file.startsWith('<')) return undefined;
  const relative = path.relative(base, path.resolve(cwd, file)).split(path.sep).join('/');
  return relative.startsWith('../') || path.isAbsolute(relative) ? undefined : relative;
}
