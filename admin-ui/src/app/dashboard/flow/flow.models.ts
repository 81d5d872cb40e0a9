/** The dashboard's flow figures, as `GET /api/v1/dashboard/*` answers them. */
export type FlowRange = '24h' | '7d';
export const OUTCOMES = ['done', 'skipped', 'retried', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** `filtered`: of the skipped, the updates that touched nothing a rule or mapping watches (nothing was sent). */
export type FlowBucket = { start: string; filtered?: number } & Record<Outcome, number>;
export interface Flow {
  range: FlowRange;
  bucket: 'hour' | 'day';
  buckets: FlowBucket[];
  /** Events skipped as filtered over the whole range. */
  filtered?: number;
}

export interface Rate {
  average: number;
  peak: number;
  peakAt: string | null;
  total: number;
}
/** add_worker only for the installation; a workspace whose queue grows gets tell_platform_admin. */
export type CapacityAdvice = 'ok' | 'watch' | 'add_worker' | 'tell_platform_admin';
/** installation: every workspace together (the platform super-admin); workspace: the caller's own. */
export type CapacityScope = 'installation' | 'workspace';
export interface Capacity {
  scope: CapacityScope;
  webhooks: Rate;
  events: Rate;
  backlog: number;
  lagSeconds: number | null;
  growth: number;
  advice: CapacityAdvice;
}

export interface FunnelStage {
  id: number;
  name: string;
  count: number;
}
export interface FunnelPipeline {
  id: number;
  name: string;
  stages: FunnelStage[];
}
export interface Funnel {
  pipelines: FunnelPipeline[];
}

export const LANES = ['interactive', 'sync', 'import'] as const;
export type Lane = (typeof LANES)[number];
export interface LaneMinute {
  minute: string;
  count: Record<Lane, number>;
  average: Record<Lane, number>;
  peak: number;
}
export interface AmocrmRate {
  budget: number;
  minutes: LaneMinute[];
}

export const CHECKLIST_STEPS = ['amocrm', 'webhooks', 'lptracker', 'mapping', 'testLead'] as const;
export type ChecklistStep = (typeof CHECKLIST_STEPS)[number];
export interface Checklist {
  steps: { step: ChecklistStep; done: boolean }[];
  complete: boolean;
}
