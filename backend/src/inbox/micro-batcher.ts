/** The micro-batcher lives in src/batching/micro-batcher.ts; this re-export goes once no inbox file imports it here. */
export { MicroBatcher, type MicroBatcherOptions } from '../batching/micro-batcher';
