/**
 * SARIF 2.1.0, as GitHub code scanning ingests it (docs/usage.md#sarif): one run, `tool.driver` with every
 * rule that ran, results with a 1-based region, related locations for the other end of a broken link and
 * a `partialFingerprints` entry that does not depend on line numbers.
 */
import type * as Sarif from 'sarif';
import type { RuleMeta } from '../rule-types.js';
import type { Finding, RelatedLocation, Severity } from '../types.js';
import { uriEncodeBytes } from './escape.js';
import { FINGERPRINT_VERSION, fingerprints, objectKey } from './fingerprint.js';
import type { FormatInput } from './summary.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of our fingerprint in `partialFingerprints`. GitHub computes its own `primaryLocationLineHash`. */
export const FINGERPRINT_KEY = `kubewire/v${FINGERPRINT_VERSION}`;

export interface ToolInfo {
  name: string;
  version: string;
  /** The tool's home page. */
  informationUri: string;
  /** The absolute URL of a rule's documentation page. */
  ruleDocsUrl(id: string): string;
}

export interface RuleRun {
  rule: RuleMeta;
  /** The severity the rule runs at (its default or the configuration's). */
  severity: Severity;
  /** The rule's documentation page as Markdown, when available. */
  docs?: string;
}

/** How a finding relates to a baseline (docs/usage.md#baselines). */
export type BaselineState = 'new' | 'unchanged';

export interface SarifOptions {
  tool: ToolInfo;
  /** Every rule that ran, in a stable order: `ruleIndex` points into this list. */
  rules: readonly RuleRun[];
  /**
   * With a baseline: the state of each reported finding (same order as `findings`), and the findings the
   * baseline accepted, emitted as suppressed results with baselineState `unchanged`.
   */
  baseline?: {
    file: string;
    states: readonly BaselineState[];
    accepted: readonly Finding[];
    acceptedFingerprints: readonly string[];
  };
  /** The bytes of a reported path whose name is not valid UTF-8 (shown escaped as `\xNN`), for its URI. */
  fileBytes?: (file: string) => Uint8Array | undefined;
}

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

type BytesOf = (file: string) => Uint8Array | undefined;

/**
 * A path as reported (relative to the working directory, or absolute outside it) as a SARIF location; a
 * name that is not valid UTF-8 by its bytes, percent-encoded (its escaped form names no file).
 */
function artifactLocation(file: string, bytes: Uint8Array | undefined): Sarif.ArtifactLocation {
  const encoded =
    bytes === undefined
      ? file
          .split('/')
          .map((segment) => encodeURIComponent(segment))
          .join('/')
      : uriEncodeBytes(bytes);
  if (file.startsWith('/')) return { uri: `file://${encoded}` };
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

function region(at: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>): Sarif.Region {
  // A range never ends before it starts; a zero-width range still covers one column for viewers.
  const endColumn = at.endLine === at.line ? Math.max(at.endColumn, at.column + 1) : at.endColumn;
  return {
    startLine: Math.max(1, at.line),
    startColumn: Math.max(1, at.column),
    endLine: Math.max(at.line, at.endLine),
    endColumn: Math.max(1, endColumn),
  };
}

function relatedLocation(r: RelatedLocation, id: number, bytesOf: BytesOf): Sarif.Location {
  return {
    id,
    physicalLocation: { artifactLocation: artifactLocation(r.file, bytesOf(r.file)), region: region(r) },
    message: { text: r.message },
  };
}

function stripGeneratedMarkers(markdown: string): string {
  return markdown.replace(/^<!-- kubewire:[a-z]+:(start|end) -->\n/gm, '').trim();
}

function reportingDescriptor(run: RuleRun, tool: ToolInfo): Sarif.ReportingDescriptor {
  const { rule } = run;
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${rule.description}\n\n${rule.rationale}\n\nDocumentation: ${tool.ruleDocsUrl(rule.id)}`,
      markdown: run.docs !== undefined ? stripGeneratedMarkers(run.docs) : `${rule.description}\n\n${rule.rationale}`,
    },
    helpUri: tool.ruleDocsUrl(rule.id),
    defaultConfiguration: { level: LEVEL[run.severity] },
    properties: { tags: ['kubernetes', rule.category], category: rule.category },
  };
}

function result(
  f: Finding,
  fingerprint: string,
  ruleIndex: ReadonlyMap<string, number>,
  extra: Partial<Sarif.Result>,
  bytesOf: BytesOf,
): Sarif.Result {
  const index = ruleIndex.get(f.ruleId);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      { physicalLocation: { artifactLocation: artifactLocation(f.file, bytesOf(f.file)), region: region(f) } },
    ],
    ...(f.related.length > 0 ? { relatedLocations: f.related.map((r, i) => relatedLocation(r, i + 1, bytesOf)) } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...extra,
    properties: {
      category: f.category,
      ...(f.object !== null ? { object: objectKey(f.object) } : {}),
    },
  };
}

export function formatSarif(input: FormatInput, options: SarifOptions): string {
  const { tool, baseline } = options;
  const ruleIndex = new Map(options.rules.map((r, i) => [r.rule.id, i]));
  const prints = input.fingerprints ?? fingerprints(input.findings, input.texts);
  const bytesOf: BytesOf = options.fileBytes ?? (() => undefined);
  const results = input.findings.map((f, i) =>
    result(f, prints[i] ?? '', ruleIndex, baseline ? { baselineState: baseline.states[i] ?? 'new' } : {}, bytesOf),
  );
  if (baseline) {
    baseline.accepted.forEach((f, i) => {
      results.push(
        result(
          f,
          baseline.acceptedFingerprints[i] ?? '',
          ruleIndex,
          {
            baselineState: 'unchanged',
            suppressions: [
              { kind: 'external', status: 'accepted', justification: `recorded in the baseline ${baseline.file}` },
            ],
          },
          bytesOf,
        ),
      );
    });
  }
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: options.rules.map((r) => reportingDescriptor(r, tool)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
