/**
 * Benchmark only: the entry point of the benchmark's api and worker processes — the real `src/main.ts`, with the
 * loss-check probe of `inbox-amocrm-bench-adapter.ts` added from benchmark code (no hook in production code).
 */
import 'reflect-metadata';
import { addInboxTestAdapters } from '../test/support/inbox-test-module';
import { createInboxTestAdapters } from './inbox-amocrm-bench-adapter';
// counts the process's SQL statements when BENCH_STATEMENTS_FILE is set (the processing benchmark)
import './statement-counter';

addInboxTestAdapters(createInboxTestAdapters);
void import('../src/main');
