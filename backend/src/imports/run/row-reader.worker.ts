import { parentPort, workerData } from 'node:worker_threads';
import { readImportRows } from './row-reader';
import type { RowReadRequest, RowReaderMessage } from './row-reader.types';

/** Worker-thread entry: reads the rows and posts them a batch at a time, each after the main thread asks `next`. */
async function run(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const next = () => new Promise<void>((resolve) => port.once('message', () => resolve()));
  const post = (message: RowReaderMessage) => port.postMessage(message);
  try {
    for await (const rows of readImportRows(workerData as RowReadRequest)) {
      post({ type: 'rows', rows });
      await next();
    }
    post({ type: 'end' });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

void run();
