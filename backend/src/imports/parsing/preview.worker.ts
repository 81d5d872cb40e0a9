import { parentPort, workerData } from 'node:worker_threads';
import { previewFile } from './file-preview';
import type { PreviewRequest } from './preview.types';

/** Worker-thread entry: previews one file and posts the outcome (see preview-runner.ts). */
void previewFile(workerData as PreviewRequest).then(
  (outcome) => parentPort?.postMessage(outcome),
  () =>
    parentPort?.postMessage({
      ok: false,
      refusal: { reason: 'unreadable', message: 'The file could not be read as a spreadsheet.' },
    }),
);
