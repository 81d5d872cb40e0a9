import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { saveProblems, wordProblem } from './mapping-problems';
import { type PreviewSection, previewSections } from './mapping-preview-rows';
import { MappingsApi } from './mappings-api';
import type { FieldCatalog, MappingDirection, MappingDocument, MappingPreview } from './mappings.models';

/**
 * «Предпросмотр»: applies the draft (saved or not) to the newest real LPTracker event of the project and
 * shows what would be written — the contact and the lead fields — or why there is nothing to show yet.
 */
@Component({
  selector: 'app-mapping-preview',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatButton,
    MatIcon,
    MatProgressBar,
    RouterLink,
    TranslatePipe,
  ],
  templateUrl: './mapping-preview.html',
  styleUrl: './mapping-preview.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingPreviewCard {
  private readonly api = inject(MappingsApi);
  private readonly i18n = inject(I18nService);

  readonly projectId = input.required<number>();
  readonly direction = input.required<MappingDirection>();
  readonly document = input.required<MappingDocument>();
  readonly catalog = input<FieldCatalog | null>(null);

  protected readonly running = signal(false);
  protected readonly preview = signal<MappingPreview | null>(null);
  /** No event of this project yet: nothing to apply the mapping to. */
  protected readonly noEvent = signal(false);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });
  protected readonly sections = computed((): PreviewSection[] => {
    const preview = this.preview();
    return preview ? previewSections(preview.plan, this.catalog(), (key) => this.i18n.t(key)) : [];
  });
  /** The draft's places the server could not read (`document.lines[2].transform`…), in simple words. */
  protected readonly refused = computed(() =>
    saveProblems(this.error()).map((problem) =>
      wordProblem({ ...problem, path: problem.path.replace(/^document\./, '') }, (key, params) =>
        this.i18n.t(key, params),
      ),
    ),
  );
  protected readonly problems = computed(() =>
    (this.preview()?.plan.problems ?? []).map((problem) =>
      wordProblem(problem, (key, params) => this.i18n.t(key, params)),
    ),
  );

  constructor() {
    // Another project or direction: the old result no longer applies.
    effect(() => {
      this.projectId();
      this.direction();
      this.preview.set(null);
      this.noEvent.set(false);
      this.error.set(null);
    });
  }

  protected run(): void {
    this.running.set(true);
    this.error.set(null);
    this.noEvent.set(false);
    this.api
      .preview(this.projectId(), this.direction(), this.document())
      .pipe(finalize(() => this.running.set(false)))
      .subscribe({
        next: (preview) => this.preview.set(preview),
        error: (error: unknown) => {
          this.preview.set(null);
          if (error instanceof HttpErrorResponse && error.status === 404) {
            this.noEvent.set(true);
          } else {
            this.error.set(error);
          }
        },
      });
  }
}
