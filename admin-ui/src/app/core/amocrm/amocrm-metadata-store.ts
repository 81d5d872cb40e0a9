import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { type Observable, catchError, finalize, of, shareReplay, tap, throwError } from 'rxjs';

import { AuthService } from '../auth/auth.service';
import { AmocrmApi } from './amocrm-api';
import type { AmocrmCustomField, AmocrmMetadata, AmocrmPipeline, AmocrmStatus } from './amocrm.models';

/** Metadata this old is read again when a page asks for it. */
const FRESH_FOR_MS = 5 * 60_000;

interface Entry {
  key: string;
  /** `null`: the server has none (amoCRM was never connected, or it was disconnected). */
  metadata: AmocrmMetadata | null;
  at: number;
}

/** A stage with the pipeline it belongs to. */
export interface StatusInPipeline {
  status: AmocrmStatus;
  pipeline: AmocrmPipeline;
}

/**
 * The cached amoCRM metadata (pipelines with their coloured stages, users, custom fields) for
 * every page that shows amoCRM data: names of custom fields, stage chips, filters.
 */
@Injectable({ providedIn: 'root' })
export class AmocrmMetadataStore {
  private readonly api = inject(AmocrmApi);
  private readonly auth = inject(AuthService);
  private readonly entry = signal<Entry | null>(null);
  private readonly errorState = signal<unknown>(null);
  private inFlight: Observable<AmocrmMetadata | null> | null = null;

  private readonly userKey = computed(() => {
    const user = this.auth.user();
    return user ? `${user.id}:${user.workspaceId}` : null;
  });
  private readonly current = computed(() => {
    const entry = this.entry();
    return entry?.key === this.userKey() ? entry : null;
  });

  readonly loading = signal(false);
  readonly metadata = computed(() => this.current()?.metadata ?? null);
  /** True when the server answered that there is no metadata (404). */
  readonly missing = computed(() => {
    const current = this.current();
    return current !== null && current.metadata === null;
  });
  /** The error of the last failed read (other than "none yet"). */
  readonly error = this.errorState.asReadonly();

  /** Working pipelines first (main, then by sort order), archived ones last. */
  readonly pipelines = computed(() =>
    [...(this.metadata()?.pipelines ?? [])].sort(
      (a, b) =>
        Number(a.isArchive ?? false) - Number(b.isArchive ?? false) ||
        Number(b.isMain) - Number(a.isMain) ||
        (a.sort ?? 0) - (b.sort ?? 0),
    ),
  );

  private readonly statusIndex = computed(() => {
    const index = new Map<string, StatusInPipeline>();
    for (const pipeline of this.metadata()?.pipelines ?? []) {
      for (const status of pipeline.statuses) {
        index.set(`${pipeline.id}:${status.id}`, { status, pipeline });
        index.set(`*:${status.id}`, index.get(`*:${status.id}`) ?? { status, pipeline });
      }
    }
    return index;
  });
  private readonly userIndex = computed(
    () => new Map((this.metadata()?.users ?? []).map((user) => [user.id, user.name])),
  );
  private readonly contactFieldIndex = computed(
    () => new Map((this.metadata()?.contactFields ?? []).map((field) => [field.id, field])),
  );
  private readonly leadFieldIndex = computed(
    () => new Map((this.metadata()?.leadFields ?? []).map((field) => [field.id, field])),
  );

  /** Loads the metadata unless a fresh copy is already here (errors land in `error`). */
  ensureLoaded(): void {
    const current = this.current();
    if (current && Date.now() - current.at < FRESH_FOR_MS) {
      return;
    }
    this.load().subscribe({ error: () => undefined });
  }

  /** Reads the cached metadata from the server; `null` when there is none yet. */
  load(): Observable<AmocrmMetadata | null> {
    if (this.inFlight) {
      return this.inFlight;
    }
    this.loading.set(true);
    this.inFlight = this.api.metadata().pipe(
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 404 ? of(null) : throwError(() => error),
      ),
      tap({
        next: (metadata) => this.store(metadata),
        error: (error: unknown) => this.errorState.set(error),
      }),
      finalize(() => {
        this.loading.set(false);
        this.inFlight = null;
      }),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.inFlight;
  }

  /** Asks the server to reload the metadata from amoCRM now (admins). */
  refresh(): Observable<AmocrmMetadata> {
    this.loading.set(true);
    return this.api.refreshMetadata().pipe(
      tap((metadata) => this.store(metadata)),
      finalize(() => this.loading.set(false)),
    );
  }

  /** Forgets the metadata (after a disconnect the server drops it too). */
  clear(): void {
    this.store(null);
  }

  /**
   * The stage `statusId` of `pipelineId` (stages 142/143 exist in every pipeline). Without a
   * pipeline, or when the pipeline is unknown, the first pipeline that has such a stage.
   */
  findStatus(
    pipelineId: number | null | undefined,
    statusId: number | null | undefined,
  ): StatusInPipeline | null {
    if (statusId === null || statusId === undefined) {
      return null;
    }
    const index = this.statusIndex();
    return index.get(`${pipelineId ?? '*'}:${statusId}`) ?? index.get(`*:${statusId}`) ?? null;
  }

  pipeline(id: number | null | undefined): AmocrmPipeline | null {
    return this.metadata()?.pipelines.find((pipeline) => pipeline.id === id) ?? null;
  }

  userName(id: number | null | undefined): string | null {
    return id === null || id === undefined ? null : (this.userIndex().get(id) ?? null);
  }

  contactField(id: number): AmocrmCustomField | null {
    return this.contactFieldIndex().get(id) ?? null;
  }

  leadField(id: number): AmocrmCustomField | null {
    return this.leadFieldIndex().get(id) ?? null;
  }

  private store(metadata: AmocrmMetadata | null): void {
    const key = this.userKey();
    this.errorState.set(null);
    if (key !== null) {
      this.entry.set({ key, metadata, at: Date.now() });
    }
  }
}
