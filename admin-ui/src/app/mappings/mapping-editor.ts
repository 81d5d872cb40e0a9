import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { forkJoin, filter, finalize } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { openSideSheet } from '../shared/side-sheet';
import { FieldPicker } from './field-picker';
import { copyDocument, pickerFields, sidesOf, sourceless } from './mapping-catalog';
import { MappingHistory, type MappingHistoryData } from './mapping-history';
import { MappingMaps } from './mapping-maps';
import { MappingPreviewCard } from './mapping-preview';
import {
  type PlacedMessage,
  messagesAt,
  saveProblems,
  unplacedMessages,
  wordProblem,
} from './mapping-problems';
import { MappingsApi } from './mappings-api';
import type {
  CurrentMapping,
  FieldCatalog,
  FieldRef,
  MappingDirection,
  MappingDocument,
  MappingLine,
  MappingProblem,
  MappingTransform,
  MappingVersionView,
} from './mappings.models';
import { TransformEditor } from './transform-editor';

/** Most lines a mapping may have (the server refuses more). */
export const MAX_LINES = 200;

/** Shifts the line numbers in messages after line `removed` is deleted (its own messages go). */
function afterLineRemoved<T extends { path: string }>(messages: readonly T[], removed: number): T[] {
  const result: T[] = [];
  for (const message of messages) {
    const match = /^lines\[(\d+)\](.*)$/.exec(message.path);
    const index = match ? Number(match[1]) : -1;
    if (index === removed) {
      continue;
    }
    result.push(index > removed ? { ...message, path: `lines[${index - 1}]${match?.[2] ?? ''}` } : message);
  }
  return result;
}

/**
 * One mapping (project + direction): its lines, the new-lead settings, the stage and user maps.
 * Admins change a draft and save it as a new version; the refused places (`lines[3].target`) and the
 * broken ones (a field deleted in a CRM) are shown on the line they name. Preview and history too.
 */
@Component({
  selector: 'app-mapping-editor',
  imports: [
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    LocalDatePipe,
    TranslatePipe,
    FieldPicker,
    TransformEditor,
    MappingMaps,
    MappingPreviewCard,
  ],
  templateUrl: './mapping-editor.html',
  styleUrl: './mapping-editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingEditor {
  private readonly api = inject(MappingsApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly dialog = inject(MatDialog);
  private readonly t = (...args: Parameters<I18nService['t']>): string => this.i18n.t(...args);

  readonly projectId = input.required<number>();
  readonly direction = input.required<MappingDirection>();
  readonly canEdit = input(false);

  protected readonly loading = signal(true);
  protected readonly saving = signal(false);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => this.describe(this.loadError()));
  protected readonly current = signal<CurrentMapping | null>(null);
  protected readonly catalog = signal<FieldCatalog | null>(null);
  protected readonly draft = signal<MappingDocument | null>(null);
  /** Why the last save was refused, when it names no place (network, conflict…). */
  private readonly saveError = signal<unknown>(null);
  protected readonly saveErrorMessage = computed(() => this.describe(this.saveError()));
  /** The places a refused save named. */
  private readonly refused = signal<MappingProblem[]>([]);
  /** The places of the saved version that cannot be applied any more (broken). */
  private readonly broken = signal<MappingProblem[]>([]);
  protected readonly saveMessages = computed(() =>
    this.refused().map((problem) => wordProblem(problem, this.t)),
  );
  protected readonly brokenMessages = computed(() =>
    this.broken().map((problem) => wordProblem(problem, this.t)),
  );

  protected readonly sides = computed(() => sidesOf(this.direction()));
  protected readonly sourceFields = computed(() => pickerFields(this.catalog(), this.sides().source));
  protected readonly targetFields = computed(() => pickerFields(this.catalog(), this.sides().target));
  protected readonly readOnly = computed(() => !this.canEdit() || this.saving());
  /** The draft differs from the saved version (the page asks before showing another mapping). */
  readonly dirty = computed(() => {
    const current = this.current();
    const draft = this.draft();
    return current !== null && draft !== null && JSON.stringify(current.document) !== JSON.stringify(draft);
  });
  protected readonly tooManyLines = computed(() => (this.draft()?.lines.length ?? 0) >= MAX_LINES);
  /** Messages that name no line and no map row: shown above the editor. */
  protected readonly looseMessages = computed(() => {
    const lines = (this.draft()?.lines ?? []).map((_, index) => `lines[${index}]`);
    return unplacedMessages(
      [...this.saveMessages(), ...this.brokenMessages()],
      [...lines, 'stageMap', 'userMap', 'pipelineId', 'statusId', 'createAs'],
    );
  });
  protected readonly mapMessages = computed(() => [...this.saveMessages(), ...this.brokenMessages()]);

  constructor() {
    effect(() => {
      const projectId = this.projectId();
      const direction = this.direction();
      untracked(() => this.load(projectId, direction));
    });
  }

  protected reload(): void {
    this.load(this.projectId(), this.direction());
  }

  private load(projectId: number, direction: MappingDirection): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.saveError.set(null);
    this.refused.set([]);
    forkJoin({ current: this.api.current(projectId, direction), catalog: this.api.fields(projectId) })
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: ({ current, catalog }) => {
          this.catalog.set(catalog);
          this.show(current);
        },
        error: (error: unknown) => this.loadError.set(error),
      });
  }

  private show(current: CurrentMapping): void {
    this.current.set(current);
    this.draft.set(copyDocument(current.document));
    this.broken.set(current.problems);
  }

  /** The messages (refused or broken) about one place of the document. */
  protected messages(place: string): PlacedMessage[] {
    return messagesAt(this.mapMessages(), place);
  }

  protected lineBroken(index: number): boolean {
    return messagesAt(this.brokenMessages(), `lines[${index}]`).length > 0;
  }

  protected lineRefused(index: number): boolean {
    return messagesAt(this.saveMessages(), `lines[${index}]`).length > 0;
  }

  /** The first message about a line's field (`source`/`target`), for the picker. */
  protected fieldMessage(index: number, field: 'source' | 'target'): string | null {
    return this.messages(`lines[${index}].${field}`)[0]?.text ?? null;
  }

  /** Messages about a line as a whole (not its source, target or transform). */
  protected lineMessages(index: number): PlacedMessage[] {
    const place = `lines[${index}]`;
    return this.messages(place).filter((message) =>
      ['source', 'target', 'transform'].every((part) => !message.path.startsWith(`${place}.${part}`)),
    );
  }

  protected targetOptions(ref: FieldRef) {
    return this.targetFields().find((field) => field.ref === ref)?.options ?? [];
  }

  protected sourceless(line: MappingLine): boolean {
    return sourceless(line.transform.type);
  }

  protected setSource(index: number, source: FieldRef): void {
    this.updateLine(index, (line) => ({ ...line, source }));
  }

  protected setTarget(index: number, target: FieldRef): void {
    this.updateLine(index, (line) => ({ ...line, target }));
  }

  protected setTransform(index: number, transform: MappingTransform): void {
    // A constant or a template reads no source field: it is saved as null.
    this.updateLine(index, (line) => ({
      ...line,
      source: sourceless(transform.type) ? null : line.source,
      transform,
    }));
  }

  protected addLine(): void {
    const source = this.sourceFields()[0]?.ref ?? null;
    const target = this.targetFields()[0]?.ref ?? '';
    this.update((document) => ({
      ...document,
      lines: [...document.lines, { source, target, transform: { type: 'none' } }],
    }));
  }

  protected removeLine(index: number): void {
    this.update((document) => ({ ...document, lines: document.lines.filter((_, at) => at !== index) }));
    this.refused.update((problems) => afterLineRemoved(problems, index));
    this.broken.update((problems) => afterLineRemoved(problems, index));
  }

  protected changeDocument(change: Partial<MappingDocument>): void {
    this.update((document) => ({ ...document, ...change }));
  }

  protected discard(): void {
    const current = this.current();
    if (current) {
      this.show(current);
      this.refused.set([]);
      this.saveError.set(null);
    }
  }

  protected save(): void {
    const draft = this.draft();
    if (!draft || !this.canEdit()) {
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    this.refused.set([]);
    this.api
      .save(this.projectId(), this.direction(), draft)
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (saved) => {
          this.notifier.info('mappings.saved', { version: saved.version });
          this.reload();
        },
        error: (error: unknown) => {
          const placed = saveProblems(error);
          this.refused.set(placed);
          if (placed.length === 0) {
            this.saveError.set(error);
          }
        },
      });
  }

  protected openHistory(): void {
    const current = this.current();
    if (!current) {
      return;
    }
    openSideSheet<MappingHistory, MappingHistoryData, MappingVersionView>(this.dialog, MappingHistory, {
      projectId: this.projectId(),
      direction: this.direction(),
      currentVersion: current.version,
      canRestore: this.canEdit(),
    })
      .afterClosed()
      .pipe(filter((restored): restored is MappingVersionView => restored !== undefined))
      .subscribe((restored) => {
        this.notifier.info('mappings.history.restored', { version: restored.version });
        this.reload();
      });
  }

  private updateLine(index: number, change: (line: MappingLine) => MappingLine): void {
    this.update((document) => ({
      ...document,
      lines: document.lines.map((line, at) => (at === index ? change(line) : line)),
    }));
  }

  private update(change: (document: MappingDocument) => MappingDocument): void {
    this.draft.update((document) => (document === null ? document : change(document)));
  }

  private describe(error: unknown): string | null {
    return error === null ? null : describeHttpError(error, this.t).message;
  }
}
