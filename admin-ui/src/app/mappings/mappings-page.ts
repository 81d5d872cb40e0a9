import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
import { MappingEditor } from './mapping-editor';
import { MappingsApi } from './mappings-api';
import { MAPPING_DIRECTIONS, type MappingDirection, type MappingSummary } from './mappings.models';

interface ProjectChoice {
  id: number;
  name: string;
  /** Broken places over both directions. */
  problems: number;
}

function isDirection(value: string | undefined): value is MappingDirection {
  return (MAPPING_DIRECTIONS as readonly string[]).includes(value ?? '');
}

/**
 * `/mappings?project=<id>&direction=<…>`: which LPTracker field goes to which amoCRM field (and back),
 * per enabled LPTracker project. Everyone sees the mappings; admins change them.
 */
@Component({
  selector: 'app-mappings-page',
  imports: [
    RouterLink,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatButton,
    MatIcon,
    MatProgressBar,
    PageHeader,
    TranslatePipe,
    MappingEditor,
  ],
  templateUrl: './mappings-page.html',
  styleUrl: './mappings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class MappingsPage {
  private readonly api = inject(MappingsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly router = inject(Router);

  /** `?project=<LPTracker project id>`. */
  readonly project = input<string>();
  /** `?direction=lptracker_to_amocrm|amocrm_to_lptracker`. */
  readonly direction = input<string>();

  private readonly dialog = inject(MatDialog);
  private readonly editor = viewChild(MappingEditor);
  /** Bumped when a switch is cancelled: the project select and direction toggle show the shown mapping again. */
  protected readonly revision = signal(0);

  protected readonly directions = MAPPING_DIRECTIONS;
  protected readonly canEdit = computed(() => this.auth.user() !== null && this.auth.hasRole(['admin']));
  protected readonly summaries = signal<MappingSummary[]>([]);
  protected readonly loading = signal(true);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => {
    const error = this.loadError();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  protected readonly projects = computed((): ProjectChoice[] => {
    const byId = new Map<number, ProjectChoice>();
    for (const summary of this.summaries()) {
      const known = byId.get(summary.projectId);
      byId.set(summary.projectId, {
        id: summary.projectId,
        name: summary.projectName,
        problems: (known?.problems ?? 0) + summary.problems.length,
      });
    }
    return [...byId.values()];
  });
  protected readonly projectId = computed(() => {
    const asked = Number(this.project());
    const projects = this.projects();
    return projects.find((project) => project.id === asked)?.id ?? projects[0]?.id ?? null;
  });
  protected readonly chosenDirection = computed((): MappingDirection => {
    const asked = this.direction();
    return isDirection(asked) ? asked : 'lptracker_to_amocrm';
  });
  protected readonly brokenIn = computed(() => {
    const projectId = this.projectId();
    return new Set(
      this.summaries()
        .filter((summary) => summary.projectId === projectId && summary.problems.length > 0)
        .map((summary) => summary.direction),
    );
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .list()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (summaries) => this.summaries.set(summaries),
        error: (error: unknown) => this.loadError.set(error),
      });
  }

  protected choose(change: { project?: number; direction?: MappingDirection }): void {
    if (!this.editor()?.dirty()) {
      this.show(change);
      return;
    }
    confirmAction(this.dialog, {
      title: 'mappings.leave.title',
      text: 'mappings.leave.text',
      confirm: 'mappings.leave.confirm',
      danger: true,
    }).subscribe((confirmed) => {
      if (confirmed) {
        this.show(change);
      } else {
        this.revision.update((value) => value + 1);
      }
    });
  }

  private show(change: { project?: number; direction?: MappingDirection }): void {
    void this.router.navigate([], {
      queryParams: {
        project: change.project ?? this.projectId(),
        direction: change.direction ?? this.chosenDirection(),
      },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}
