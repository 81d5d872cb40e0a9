import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { VersionHistory, type VersionHistoryTexts } from '../shared/version-history';
import { MappingsApi } from './mappings-api';
import type { MappingDirection, MappingVersionView } from './mappings.models';

export interface MappingHistoryData {
  projectId: number;
  direction: MappingDirection;
  currentVersion: number;
  canRestore: boolean;
}

/** Why a version was made, in words: `default`, `save`, `restore:<n>`. */
export function originText(
  origin: string,
  t: (key: TranslationKey, params?: Record<string, string | number>) => string,
): string {
  const restored = /^restore:(\d+)$/.exec(origin);
  if (restored) {
    return t('mappings.history.origins.restore', { version: restored[1] ?? '' });
  }
  if (origin === 'default' || origin === 'save') {
    return t(`mappings.history.origins.${origin}`);
  }
  return origin;
}

const TEXTS: VersionHistoryTexts = {
  title: 'mappings.history.title',
  version: 'mappings.history.version',
  current: 'mappings.history.current',
  system: 'mappings.history.system',
  empty: 'mappings.history.empty',
  restore: 'mappings.history.restore',
  confirm: {
    title: 'mappings.history.confirm.title',
    text: 'mappings.history.confirm.text',
    confirm: 'mappings.history.confirm.confirm',
  },
};

/**
 * The versions of a mapping, newest first, in a side sheet: who saved each and when, and why it was
 * made. Admins bring an older one back («Восстановить», after a confirmation): it is saved as a new
 * version, and the sheet closes with it.
 */
@Component({
  selector: 'app-mapping-history',
  imports: [VersionHistory],
  template: `
    <app-version-history
      testPrefix="mapping"
      [texts]="texts"
      [load]="load"
      [restoreWith]="restoreWith"
      [currentVersion]="data.currentVersion"
      [canRestore]="data.canRestore"
      [details]="details"
      (restored)="ref.close($event)"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingHistory {
  private readonly api = inject(MappingsApi);
  private readonly i18n = inject(I18nService);
  protected readonly ref = inject<MatDialogRef<MappingHistory, MappingVersionView>>(MatDialogRef);
  protected readonly data = inject<MappingHistoryData>(MAT_DIALOG_DATA);

  protected readonly texts = TEXTS;
  protected readonly load = () => this.api.versions(this.data.projectId, this.data.direction);
  protected readonly restoreWith = (version: number) =>
    this.api.restore(this.data.projectId, this.data.direction, version);
  /** Why the version was made and how many lines it has. */
  protected readonly details = (version: MappingVersionView): string =>
    `${originText(version.origin, (key, params) => this.i18n.t(key, params))} · ${this.i18n.t(
      'mappings.history.lines',
      { count: version.document.lines.length },
    )}`;
}
