/**
 * The version and home page of kubewire, read from the package's own package.json at run time.
 *
 * package.json is not imported as a module: `tsc` would copy it into `dist/`, a folder the published
 * package does not contain (`files` lists `dist/src/` and friends), and the installed command would
 * fail at once. This file is `dist/src/cli/version.js`, so the package root is three folders up, in a
 * clone and in an installed package alike.
 */
import { readFileSync } from 'node:fs';

interface PackageInfo {
  version: string;
  homepage?: string;
}

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as PackageInfo;

export const VERSION: string = pkg.version;

/** Where the documentation lives: the rule pages are `${HOMEPAGE}/docs/rules/<id>.md`. */
export const HOMEPAGE: string = pkg.homepage ?? 'https://kubewire.dev';
