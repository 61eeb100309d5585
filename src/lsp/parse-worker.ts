/**
 * The language server's parse helper thread: parses the files the analysis worker hands it (see
 * parallel.ts and parsed-file.ts) and answers with plain data.
 */
import { parentPort } from 'node:worker_threads';
import { parsedFile } from './parsed-file.js';
import type { ParseRequest } from './parsed-file.js';

const port = parentPort;
if (port !== null)
  port.on('message', (request: ParseRequest) => {
    port.postMessage(parsedFile(request));
  });
