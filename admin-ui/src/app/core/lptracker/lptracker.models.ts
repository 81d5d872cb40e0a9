/** `GET /api/v1/connections/lptracker`: the workspace's LPTracker connection (never the password). */
export type LptrackerStatus = 'connected' | 'needs_reauth' | 'not_connected';

export interface LptrackerProjectRef {
  id: number;
  name: string;
}

export interface LptrackerConnection {
  connected: boolean;
  status: LptrackerStatus;
  login: string | null;
  /** The enabled projects. */
  projects: LptrackerProjectRef[];
  /** The last problem, in English (the console words the known ones in Russian). */
  lastError: string | null;
  lastOkAt: string | null;
}

/** `PUT /api/v1/connections/lptracker`. */
export interface ConnectLptrackerRequest {
  login: string;
  password: string;
  projectId: number;
}

/** One project the login sees (`GET …/projects`). */
export interface LptrackerVisibleProject {
  id: number;
  name: string;
  domain: string | null;
  enabled: boolean;
}

export interface LptrackerCustomField {
  id: number;
  name: string;
  type: string;
  options: string[] | null;
}

export interface LptrackerContactField {
  id: number;
  name: string;
  type: string;
}

export interface LptrackerStage {
  id: number;
  name: string;
}

export interface LptrackerStaff {
  id: number;
  name: string;
  job: string | null;
}

export interface LptrackerProjectMetadata {
  projectId: number;
  name: string;
  domain: string | null;
  fetchedAt: string;
  customs: LptrackerCustomField[];
  contactFields: LptrackerContactField[];
  funnel: LptrackerStage[];
  staff: LptrackerStaff[];
}

/** `GET …/metadata`: one entry per enabled project. */
export interface LptrackerMetadata {
  projects: LptrackerProjectMetadata[];
}

/** Whether one enabled project has our callback URL (`null`: LPTracker could not be asked). */
export interface LptrackerProjectCallback {
  projectId: number;
  registered: boolean | null;
  /** Other callbacks the project keeps (never touched). */
  others: number | null;
  error: string | null;
}

/** `GET …/webhook`: the callback URL (its secret masked for non-admins) and where it is registered. */
export interface LptrackerWebhook {
  url: string;
  /** An admin registered it: projects enabled later get it too. */
  wanted: boolean;
  projects: LptrackerProjectCallback[];
  lastReceivedAt: string | null;
}
