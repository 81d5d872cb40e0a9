import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConcurrencyLimit } from './concurrency-limit';
import type { PreviewOutcome, PreviewRequest } from './preview.types';

/** How long a preview may take before its worker is stopped and the file refused. */
const PREVIEW_TIMEOUT_MS = 60_000;
/** Heap of a preview worker: a file that still manages to blow up SheetJS kills its worker, never the process. */
const WORKER_HEAP_MB = 1536;
/** Previews running at once in one process (each in its own worker); more uploads wait their turn. */
const PREVIEWS_AT_ONCE = 2;
const previews = new ConcurrencyLimit(PREVIEWS_AT_ONCE);

/**
 * Runs the preview in a worker thread, so SheetJS's CPU work never blocks the event loop (health checks and
 * webhooks stay fast). Under the TypeScript sources (tests, `migration:generate`) the worker compiles itself with
 * SWC the way the tests' child processes do; the built service runs the compiled `.js` file.
 */
export function runPreview(request: PreviewRequest): Promise<PreviewOutcome> {
  return previews.run(() => previewInWorker(request));
}

function previewInWorker(request: PreviewRequest): Promise<PreviewOutcome> {
  const file = join(__dirname, `preview.worker${extname(__filename)}`);
  const options = { workerData: request, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  const worker = file.endsWith('.ts')
    ? new Worker(
        `require(${JSON.stringify(resolve(__dirname, '../../../test/support/swc-register.js'))});` +
          `require(${JSON.stringify(file)});`,
        { ...options, eval: true },
      )
    : new Worker(file, options);
  return new Promise((done) => {
    const refuse = (message: string) => done({ ok: false, refusal: { reason: 'unreadable', message } });
    const timer = setTimeout(() => {
      void worker.terminate();
      refuse('Reading the file took too long; it is too large or too complex to preview.');
    }, PREVIEW_TIMEOUT_MS);
    worker.once('message', (outcome: PreviewOutcome) => {
      clearTimeout(timer);
      void worker.terminate();
      done(outcome);
    });
    worker.once('error', (error: Error) => {
      clearTimeout(timer);
      refuse(
        /memory/i.test(error.message)
          ? 'The file needs too much memory to read; it looks like a zip bomb or is far too large.'
          : 'The file could not be read as a spreadsheet.',
      );
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      refuse('The file could not be read as a spreadsheet.');
    });
  });
}
