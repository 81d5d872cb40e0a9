import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { DashboardFlowStore } from './dashboard-flow-store';
import type { ChecklistStep } from './flow.models';

/** Where each first step is taken. */
const STEP_LINKS: Record<ChecklistStep, string> = {
  amocrm: '/connections/amocrm',
  webhooks: '/connections/amocrm',
  lptracker: '/connections/lptracker',
  mapping: '/mappings',
  testLead: '/events',
};

/** The first steps of a new workspace, each ticked from the real state; hidden once every step is done. */
@Component({
  selector: 'app-checklist-card',
  imports: [MatCard, MatCardHeader, MatCardTitle, MatCardContent, MatIcon, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.checklistData(); as checklist) {
      @if (!checklist.complete) {
        <mat-card appearance="outlined" class="card" data-testid="checklist">
          <mat-card-header>
            <mat-card-title>{{ 'flow.checklist.title' | t }}</mat-card-title>
          </mat-card-header>
          <mat-card-content>
            <p class="progress" data-testid="checklist-progress">
              {{ 'flow.checklist.progress' | t: { done: doneCount(), total: checklist.steps.length } }}
            </p>
            <ol class="steps">
              @for (item of checklist.steps; track item.step) {
                <li
                  class="step"
                  [class.done]="item.done"
                  [attr.data-testid]="'checklist-' + item.step"
                  [attr.data-done]="item.done"
                >
                  @if (item.done) {
                    <mat-icon
                      svgIcon="check_circle"
                      class="tick"
                      [attr.aria-label]="'flow.checklist.done' | t"
                    />
                  } @else {
                    <span class="todo" role="img" [attr.aria-label]="'flow.checklist.todo' | t"></span>
                  }
                  <a [routerLink]="links[item.step]">{{ label(item.step) | t }}</a>
                </li>
              }
            </ol>
          </mat-card-content>
        </mat-card>
      }
    }
  `,
  styles: `
    .progress {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    .steps {
      margin: 0;
      padding: 0;
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 8px 24px;
    }
    .step {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .step.done a {
      color: var(--mat-sys-on-surface-variant);
      text-decoration: line-through;
    }
    .tick {
      color: var(--app-status-up);
    }
    .todo {
      width: 20px;
      height: 20px;
      box-sizing: border-box;
      border: 2px solid var(--mat-sys-outline);
      border-radius: 50%;
      margin: 2px;
    }
  `,
})
export class ChecklistCard {
  protected readonly store = inject(DashboardFlowStore);
  protected readonly links = STEP_LINKS;
  protected label(step: ChecklistStep) {
    return `flow.checklist.step.${step}` as const;
  }
  protected readonly doneCount = computed(
    () => this.store.checklistData()?.steps.filter((step) => step.done).length ?? 0,
  );
}
