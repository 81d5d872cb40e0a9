/**
 * The Node flags the service runs with, wherever it is started: the Docker image's CMD (docker/backend.Dockerfile,
 * checked by runtime-flags.spec.ts), `npm start` (scripts/start.mjs) and the benchmarks' api and worker processes.
 *
 * `--max-semi-space-size=32` (MB; Node 20's default is 16): the young generation, where a webhook's or an import
 * row's short-lived objects die, is scavenged half as often, and fewer of them outlive a scavenge into the old
 * generation. Measured (`inbox-processing`, 10,000 events per case, interleaved runs on one machine): worker CPU
 * per event 0.74 / 0.87 ms (new / already mirrored) against 0.86 / 0.97 without it; 64 MB saved a little more but
 * took the 100,000-row import's peak to 507 MB (limit 512), while 32 MB peaked at 400 MB (411 without).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
