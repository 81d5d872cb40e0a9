/**
 * The entry point of spawned test processes that need the inbox test source: the real `src/main.ts`, with the
 * `test-json` adapter and the domain-event probe of `inbox-json-source.ts` added from here (test code only).
 * Pass it to `spawnService(env, timeout, INBOX_TEST_MAIN)`.
 */
import 'reflect-metadata';
import { createInboxTestAdapters } from './inbox-json-source';
import { addInboxTestAdapters } from './inbox-test-module';

addInboxTestAdapters(createInboxTestAdapters);
void import('../../src/main');
