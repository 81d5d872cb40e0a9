import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadRow, RowReadRequest, RowReaderMessage } from './row-reader.types';

/** Heap of a row-reading worker: a file that blows up SheetJS kills its worker, never the process. */
const WORKER_HEAP_MB = 1536;

/**
 * The import's rows read in a worker thread (SheetJS and CSV parsing stay off the event loop), a batch at a time:
 * the worker reads the next batch only once this side asked for it (as soon as it takes a batch, so reading and
 * staging overlap), so memory holds at most two batches in flight.
 */
export async function* rowsInWorker(request: RowReadRequest): AsyncGenerator<ReadRow[]> {
  const file = join(__dirname, `row-reader.worker${extname(__filename)}`);
  const options = { workerData: request, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  const worker = file.endsWith('.ts')
    ? new Worker(
        `require(${JSON.stringify(resolve(__dirname, '../../../test/support/swc-register.js'))});` +
          `require(${JSON.stringify(file)});`,
        { ...options, eval: true },
      )
    : new Worker(file, options);
  const inbox: RowReaderMessage[] = [];
  let wake: (() => void) | null = null;
  const deliver = (message: RowReaderMessage) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.once('error', (error: Error) =>
    deliver({
      type: 'error',
      message: /memory/i.test(error.message) ? 'out of memory' : error.message,
    }),
  );
  worker.once('exit', () => deliver({ type: 'error', message: 'the reader stopped' }));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((done) => (wake = done));
      wake = null;
      const message = inbox.shift() as RowReaderMessage;
      if (message.type === 'end') return;
      if (message.type === 'error') throw new Error(message.message);
      worker.postMessage('next'); // the worker reads the next batch while this one is staged
      yield message.rows;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
