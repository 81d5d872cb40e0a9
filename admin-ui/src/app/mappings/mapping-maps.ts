import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';

import { TranslatePipe } from '../core/i18n/translate.pipe';
import { type SelectOption, SelectField, namedOptions } from '../shared/select-field';
import { type PlacedMessage, messagesAt } from './mapping-problems';
import type {
  CreateAs,
  FieldCatalog,
  MappingDirection,
  MappingDocument,
  NamedId,
  StageMapEntry,
  UserMapEntry,
} from './mappings.models';

const NO_OPTIONS: readonly SelectOption<number>[] = [];

/** Most rows of a stage or user map the editor offers to add. */
const MAX_MAP_ROWS = 500;

/**
 * The parts of a mapping besides its lines: where new amoCRM leads go (pipeline, first stage, ordinary
 * lead or «Неразобранное»; LPTracker → amoCRM only), the stage map and the user map (both directions).
 */
@Component({
  selector: 'app-mapping-maps',
  imports: [SelectField, MatRadioGroup, MatRadioButton, MatButton, MatIconButton, MatIcon, TranslatePipe],
  templateUrl: './mapping-maps.html',
  styleUrl: './mapping-maps.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingMaps {
  readonly document = input.required<MappingDocument>();
  readonly catalog = input<FieldCatalog | null>(null);
  readonly direction = input.required<MappingDirection>();
  readonly disabled = input(false);
  readonly messages = input<readonly PlacedMessage[]>([]);
  readonly changed = output<Partial<MappingDocument>>();

  protected readonly maxRows = MAX_MAP_ROWS;
  protected readonly pipelines = computed(() => this.catalog()?.amocrmPipelines ?? []);
  protected readonly stages = computed(() => this.catalog()?.lptrackerStages ?? []);
  protected readonly staff = computed(() => this.catalog()?.lptrackerStaff ?? []);
  protected readonly users = computed(() => this.catalog()?.amocrmUsers ?? []);
  protected readonly pipelineOptions = computed(() => namedOptions(this.pipelines()));
  protected readonly stageOptions = computed(() => namedOptions(this.stages()));
  protected readonly staffOptions = computed(() => namedOptions(this.staff()));
  protected readonly userOptions = computed(() => namedOptions(this.users()));
  /** Each pipeline's statuses as choices (one list per pipeline, kept while the catalog stays). */
  private readonly statusesByPipeline = computed(
    () => new Map(this.pipelines().map((pipeline) => [pipeline.id, namedOptions(pipeline.statuses)])),
  );
  protected readonly newLeadStatuses = computed(() => this.statusOptions(this.document().pipelineId));

  protected statusOptions(pipelineId: number | null): readonly SelectOption<number>[] {
    return (pipelineId === null ? undefined : this.statusesByPipeline().get(pipelineId)) ?? NO_OPTIONS;
  }

  protected statusesOf(pipelineId: number | null): NamedId[] {
    return this.pipelines().find((pipeline) => pipeline.id === pipelineId)?.statuses ?? [];
  }

  protected messageAt(place: string): string | null {
    return messagesAt(this.messages(), place)[0]?.text ?? null;
  }

  protected setPipeline(pipelineId: number | null): void {
    this.changed.emit({ pipelineId, statusId: null });
  }

  protected setStatus(statusId: number | null): void {
    this.changed.emit({ statusId });
  }

  protected setCreateAs(createAs: CreateAs): void {
    this.changed.emit({ createAs });
  }

  protected addStage(): void {
    const pipeline = this.pipelines()[0];
    const row: StageMapEntry = {
      lptrackerStageId: this.stages()[0]?.id ?? 0,
      amocrmPipelineId: pipeline?.id ?? 0,
      amocrmStatusId: pipeline?.statuses[0]?.id ?? 0,
    };
    this.changed.emit({ stageMap: [...this.document().stageMap, row] });
  }

  protected setStage(index: number, change: Partial<StageMapEntry>): void {
    const stageMap = this.document().stageMap.map((row, at) => {
      if (at !== index) {
        return row;
      }
      const next = { ...row, ...change };
      if (change.amocrmPipelineId !== undefined && change.amocrmPipelineId !== row.amocrmPipelineId) {
        next.amocrmStatusId = this.statusesOf(change.amocrmPipelineId)[0]?.id ?? 0;
      }
      return next;
    });
    this.changed.emit({ stageMap });
  }

  protected removeStage(index: number): void {
    this.changed.emit({ stageMap: this.document().stageMap.filter((_, at) => at !== index) });
  }

  protected addUser(): void {
    const row: UserMapEntry = {
      lptrackerOwnerId: this.staff()[0]?.id ?? 0,
      amocrmUserId: this.users()[0]?.id ?? 0,
    };
    this.changed.emit({ userMap: [...this.document().userMap, row] });
  }

  protected setUser(index: number, change: Partial<UserMapEntry>): void {
    this.changed.emit({
      userMap: this.document().userMap.map((row, at) => (at === index ? { ...row, ...change } : row)),
    });
  }

  protected removeUser(index: number): void {
    this.changed.emit({ userMap: this.document().userMap.filter((_, at) => at !== index) });
  }
}
