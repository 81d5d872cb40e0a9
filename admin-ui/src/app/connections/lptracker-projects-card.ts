import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSlideToggle, type MatSlideToggleChange } from '@angular/material/slide-toggle';
import { type Observable, finalize, of, switchMap } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { LptrackerApi } from '../core/lptracker/lptracker-api';
import type { LptrackerVisibleProject } from '../core/lptracker/lptracker.models';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { lptrackerActionErrorMessage } from '../shared/lptracker-errors';

/**
 * Every project the LPTracker login sees (asked from LPTracker), with a toggle per project for
 * admins: on enables it (its metadata is loaded), off disables it after a confirmation.
 */
@Component({
  selector: 'app-lptracker-projects-card',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatButton,
    MatProgressBar,
    MatSlideToggle,
    TranslatePipe,
  ],
  template: `
    <mat-card appearance="outlined" data-testid="lptracker-projects">
      @if (loading() || busy() !== null) {
        <mat-progress-bar class="progress" mode="indeterminate" />
      }
      <mat-card-header>
        <mat-card-title>{{ 'lptracker.projects.title' | t }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p class="muted">{{ 'lptracker.projects.subtitle' | t }}</p>
        @if (errorMessage(); as message) {
          <div class="alert" role="alert" data-testid="lptracker-projects-error">
            <span>{{ message }}</span>
            <button mat-stroked-button type="button" (click)="load()">{{ 'common.retry' | t }}</button>
          </div>
        }
        <ul class="projects">
          @for (project of projects(); track project.id) {
            <li class="project" data-testid="lptracker-project" [attr.data-project-id]="project.id">
              <div class="name">
                <span>{{ project.name }}</span>
                <span class="muted small"
                  >ID {{ project.id }}
                  @if (project.domain) {
                    · {{ project.domain }}
                  }
                </span>
              </div>
              <mat-slide-toggle
                [checked]="project.enabled"
                [disabled]="!canEdit() || busy() !== null"
                [attr.data-testid]="'lptracker-project-toggle-' + project.id"
                [attr.data-enabled]="project.enabled"
                [aria-label]="'lptracker.projects.toggle' | t: { name: project.name }"
                (change)="toggle(project, $event)"
              >
                {{ (project.enabled ? 'lptracker.projects.enabled' : 'lptracker.projects.disabled') | t }}
              </mat-slide-toggle>
            </li>
          } @empty {
            @if (!loading() && errorMessage() === null) {
              <li class="muted">{{ 'lptracker.projects.empty' | t }}</li>
            }
          }
        </ul>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .progress {
      position: absolute;
      inset: 0 0 auto;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .small {
      font-size: 0.85em;
    }
    .alert {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .projects {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .project {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 16px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .name {
      display: flex;
      flex-direction: column;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LptrackerProjectsCard {
  private readonly api = inject(LptrackerApi);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);

  /** The ids of the enabled projects as the connection reports them: a change reloads the list. */
  readonly enabledIds = input.required<readonly number[]>();
  readonly canEdit = input(false);
  /** Emitted after a project was enabled or disabled: the page reads the connection again. */
  readonly changed = output();

  protected readonly projects = signal<LptrackerVisibleProject[]>([]);
  protected readonly loading = signal(false);
  protected readonly busy = signal<number | null>(null);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : lptrackerActionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  constructor() {
    effect(() => {
      this.enabledIds();
      this.load();
    });
  }

  load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .projects()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (projects) => this.projects.set(projects),
        error: (error: unknown) => this.error.set(error),
      });
  }

  protected toggle(project: LptrackerVisibleProject, change: MatSlideToggleChange): void {
    const enable = change.checked;
    // Until the server agrees, the switch shows what is stored (a cancel or a failure puts it back).
    const putBack = (): void => {
      change.source.checked = project.enabled;
    };
    const request: Observable<unknown> = enable
      ? this.api.enableProject(project.id)
      : confirmAction(this.dialog, {
          title: 'lptracker.projects.confirmDisable.title',
          text: 'lptracker.projects.confirmDisable.text',
          confirm: 'lptracker.projects.confirmDisable.confirm',
          params: { name: project.name },
          danger: true,
        }).pipe(switchMap((confirmed) => (confirmed ? this.api.disableProject(project.id) : of(false))));
    this.busy.set(project.id);
    this.error.set(null);
    request.pipe(finalize(() => this.busy.set(null))).subscribe({
      next: (result) => {
        if (result === false) {
          putBack();
          return;
        }
        this.setEnabled(project.id, enable);
        this.notifier.info(
          enable ? 'lptracker.projects.enabledNotice' : 'lptracker.projects.disabledNotice',
          {
            name: project.name,
          },
        );
        this.changed.emit();
      },
      error: (error: unknown) => {
        this.error.set(error);
        putBack();
      },
    });
  }

  private setEnabled(projectId: number, enabled: boolean): void {
    this.projects.update((list) => list.map((item) => (item.id === projectId ? { ...item, enabled } : item)));
  }
}
