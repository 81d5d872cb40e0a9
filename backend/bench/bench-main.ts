/**
 * Benchmark only: the entry point of the benchmark's api and worker processes — the real `src/main.ts`, with the
 * loss-check probe of `inbox-amocrm-bench-adapter.ts` added from benchmark code (no hook in production code).
 */
import 'reflect-metadata';
import { addInboxTestAdapters } from '../test/support/inbox-test-module';
import { createInboxTestAdapters } from './inbox-amocrm-bench-adapter';

addInboxTestAdapters(createInboxTestAdapters);
void import('../src/main');
