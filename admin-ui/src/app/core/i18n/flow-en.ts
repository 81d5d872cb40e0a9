import type { flowRu } from './flow-ru';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** English strings of the dashboard's charts, capacity card and first steps (`flow.*`), merged into `en.ts`. */
export const flowEn: Shape<typeof flowRu> = {
  events: {
    title: 'Events',
    range24h: 'Last 24 hours, by hour',
    range7d: 'Last 7 days, by day',
    empty: 'No events in this period.',
    filtered:
      'Filtered out: {count}. Nothing that rules or field mappings need changed in them, so nothing was sent.',
  },
  outcome: {
    done: 'Processed',
    skipped: 'Skipped',
    retried: 'Retried',
    failed: 'Failed',
  },
  funnel: {
    title: 'Deals by stage',
    empty: 'No deals yet. They appear once the service receives them from amoCRM.',
  },
  rate: {
    title: 'amoCRM requests, last hour',
    budget: 'Limit {budget} per second',
    notConnected: 'amoCRM is not connected.',
    peak: 'Busiest second: {peak} of {budget}',
    lane: {
      interactive: 'From apps',
      sync: 'Sync',
      import: 'File imports',
    },
  },
  capacity: {
    title: 'Capacity',
    webhooks: 'Webhooks: {average} per second, {peak} in the busiest minute',
    events: 'Events: {average} per second, {peak} in the busiest minute',
    backlog: 'Waiting: {count}',
    lag: 'Oldest waits: {seconds} s',
    scope: {
      installation: 'The whole installation',
      workspace: 'Your workspace',
    },
    advice: {
      ok: 'The service keeps up with the flow.',
      watch: 'Events wait over a minute, but the queue is shrinking.',
      add_worker: 'The queue is growing — add a worker.',
      tell_platform_admin: 'The queue is growing — tell the platform administrator.',
    },
  },
  checklist: {
    title: 'First steps',
    progress: '{done} of {total} done',
    step: {
      amocrm: 'Connect amoCRM',
      webhooks: 'Subscribe to amoCRM webhooks',
      lptracker: 'Connect LPTracker',
      mapping: 'Check and save the field mapping',
      testLead: 'Send a test lead from LPTracker',
    },
    done: 'Done',
    todo: 'Not done yet',
  },
  loadFailed: 'Could not load the data.',
};
