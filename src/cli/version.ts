/**
 * The version, repository and home page of kubewire, read from the package's own package.json at run time.
 *
 * package.json is not imported as a module: `tsc` would copy it into `dist/`, a folder the published
 * package does not contain (`files` lists `dist/src/` and friends), and the installed command would
 * fail at once. This file is `dist/src/cli/version.js`, so the package root is three folders up, in a
 * clone and in an installed package alike.
 */
import { readFileSync } from 'node:fs';
import { repositoryWebUrl, ruleDocsAt } from '../format/repository.js';
import type { RepositoryField } from '../format/repository.js';

interface PackageInfo {
  version: string;
  homepage?: string;
  repository?: RepositoryField;
}

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as PackageInfo;

export const VERSION: string = pkg.version;

/**
 * The repository's web address, from `repository` in package.json: the one place it is written
 * (src/format/repository.ts says what derives from it).
 */
export const REPOSITORY_URL: string = repositoryWebUrl(pkg.repository) ?? pkg.homepage ?? '';

/** The project's home page: `homepage` when package.json has one, else the repository. */
export const HOMEPAGE: string = pkg.homepage ?? REPOSITORY_URL;

/** The page of a rule, in the repository at this version's tag. */
export function ruleDocsUrl(id: string): string {
  return ruleDocsAt({ url: REPOSITORY_URL, version: VERSION }, id);
}
