/**
 * The address of kubewire's repository has one home: `repository` in package.json. The SARIF rule links
 * (helpUri), the job summary's rule links and informationUri are derived from it at run time; the copy-paste
 * setups of the docs (`uses:`, `git clone`, the pre-commit `repo:`) and the configuration schema's `$id`
 * are rewritten from it by `npm run docs`, and a test fails when they drift. Changing the address is one
 * edit to package.json, then `npm run docs`.
 */

/** package.json's `repository`: a string (`github:owner/name`, `owner/name`, a URL) or `{type, url}`. */
export type RepositoryField = string | { url?: string } | undefined;

/** The web address of a repository (`https://github.com/owner/name`), from package.json's `repository`. */
export function repositoryWebUrl(field: RepositoryField): string | undefined {
  const raw = (typeof field === 'string' ? field : field?.url)?.trim();
  if (raw === undefined || raw === '') return undefined;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) return `https://github.com/${shorthand[1] ?? ''}`;
  return raw
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^ssh:\/\/git@/, 'https://')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
}

/** `owner/name` of a GitHub web address, which `uses:` of a workflow names the action by. */
export function githubSlug(url: string): string | undefined {
  return /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)$/.exec(url)?.[1];
}

export interface RepositoryRef {
  /** The web address, e.g. https://github.com/owner/name. */
  url: string;
  /** The version of package.json: the docs point at the tag `v<version>`. */
  version: string;
}

/** Where the documentation of a rule lives: its page in the repository at the release tag. */
export function ruleDocsAt(ref: RepositoryRef, id: string): string {
  return `${ref.url}/blob/v${ref.version}/docs/rules/${id}.md`;
}

/**
 * Point the references to kubewire's repository in a doc (or the configuration schema) at `ref`:
 * `uses: owner/name@vX` (any action but GitHub's own `actions/` and `github/`), `git clone … --branch vX
 * https://github.com/owner/name`, a pre-commit `- repo: https://github.com/owner/name` with its `rev: vX`,
 * and the schema's `$id`. Other links are left alone.
 */
export function pointAtRepository(text: string, ref: RepositoryRef): string {
  const tag = `v${ref.version}`;
  const slug = githubSlug(ref.url);
  let out = text
    .replace(
      /(git clone (?:--depth \d+ )?--branch )v[\w.-]+ https:\/\/[\w.-]+\/[\w.-]+\/[\w.-]+/g,
      `$1${tag} ${ref.url}`,
    )
    .replace(/(- repo: )https:\/\/[\w.-]+\/[\w.-]+\/[\w.-]+(\n\s+rev: )v[\w.-]+/g, `$1${ref.url}$2${tag}`);
  if (slug !== undefined)
    out = out
      .replace(/(uses: )(?!actions\/|github\/)[\w.-]+\/[\w.-]+@v[\w.-]+/g, `$1${slug}@${tag}`)
      .replace(
        /("\$id": ")https:\/\/[^"]*\/schemas\/kubewire-config\.schema\.json"/g,
        `$1https://raw.githubusercontent.com/${slug}/${tag}/schemas/kubewire-config.schema.json"`,
      );
  return out;
}
