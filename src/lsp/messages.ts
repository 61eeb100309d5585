/** The messages between the language server's protocol thread and its analysis worker. */
import type { ServerSettings } from './project.js';

/** 0-based line and UTF-16 character, as in the protocol. */
export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface LspLocation {
  uri: string;
  range: LspRange;
}

export interface LspDiagnostic {
  range: LspRange;
  severity: 1 | 2 | 3 | 4;
  code: string;
  codeDescription: { href: string };
  source: 'kubewire';
  message: string;
  tags?: 1[] | 2[];
  relatedInformation?: { location: LspLocation; message: string }[];
  /** Kept by the client for code actions: the finding's suggested edit (see Finding.suggestion). */
  data?: DiagnosticData;
}

export interface DiagnosticData {
  suggestion?: { replacement: string; range: LspRange };
}

export interface LspSymbol {
  name: string;
  detail: string;
  kind: number;
  range: LspRange;
  selectionRange: LspRange;
}

export type WorkerRequest =
  | { op: 'configure'; folders: string[]; settings: ServerSettings }
  | { op: 'set'; file: string; text: string }
  | { op: 'close'; file: string }
  | { op: 'watched'; changes: { file: string; deleted: boolean }[] }
  | { op: 'lint'; generation: number }
  | { op: 'hover'; file: string; position: LspPosition }
  | { op: 'definition'; file: string; position: LspPosition }
  | { op: 'references'; file: string; position: LspPosition; includeDeclaration: boolean }
  | { op: 'symbols'; file: string }
  /** The diagnostics of a file that is not open (those of open documents come with each lint's reply). */
  | { op: 'diagnostics'; file: string }
  /** Die of an uncaught error (the server sends it only to test its restart). */
  | { op: 'crash' }
  /** Wait this long after each lint before replying (the server sends it only to test stale replies). */
  | { op: 'replyDelay'; ms: number };

/**
 * The diagnostics of every file (of the projects with an open document) that changed since the worker's
 * previous reply; files without findings have []. The protocol thread applies every reply that was not
 * cancelled, also one a newer edit made stale, so that it always holds what the worker last sent.
 */
export interface LintReply {
  cancelled: boolean;
  diagnostics: Record<string, LspDiagnostic[]>;
  /** Whether some project was linted (pull clients are then asked to refresh). */
  linted: boolean;
}

export type WorkerMessage =
  { id: number; result: unknown } | { id: number; error: string } | { log: { type: 1 | 2 | 3 | 4; message: string } };
