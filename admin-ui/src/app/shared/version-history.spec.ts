import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
} from '../../testing/overlay-helpers';
import { byTestId, queryTestId, registerIcons, text } from '../../testing/test-helpers';
import {
  type HistoryVersion,
  VersionHistory,
  type VersionHistoryTexts,
  VersionSlot,
} from './version-history';

interface DocVersion extends HistoryVersion {
  name: string | null;
}

const TEXTS: VersionHistoryTexts = {
  title: 'rules.history.title',
  version: 'rules.history.version',
  current: 'rules.history.current',
  system: 'rules.history.system',
  empty: 'rules.history.empty',
  restore: 'rules.history.restore',
  confirm: {
    title: 'rules.history.confirm.title',
    text: 'rules.history.confirm.text',
    confirm: 'rules.history.confirm.confirm',
  },
};

@Component({
  imports: [VersionHistory, VersionSlot],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-version-history
      testPrefix="doc"
      [texts]="texts"
      [load]="load"
      [restoreWith]="restoreWith"
      [currentVersion]="3"
      [canRestore]="canRestore()"
      [restorable]="restorable"
      [note]="note"
      [details]="details"
      [(error)]="error"
      (restored)="restored.push($event)"
    >
      <ng-template appVersionSlot="actions" let-version>
        <button type="button" data-testid="extra">{{ version.version }}</button>
      </ng-template>
      <ng-template appVersionSlot="after" let-version>
        <p data-testid="after">after {{ version.version }}</p>
      </ng-template>
    </app-version-history>
  `,
})
class Host {
  readonly texts = TEXTS;
  readonly canRestore = signal(true);
  readonly error = signal<unknown>(null);
  readonly versions = new Subject<{ items: DocVersion[] }>();
  readonly restoring = new Subject<string>();
  readonly asked: number[] = [];
  readonly restored: string[] = [];
  readonly load = () => this.versions;
  readonly restoreWith = (version: number) => {
    this.asked.push(version);
    return this.restoring;
  };
  readonly restorable = (version: DocVersion) => version.name !== null;
  readonly note = (version: DocVersion) => version.name ?? 'удалено';
  readonly details = (version: DocVersion) => (version.version === 1 ? 'первая' : null);
}

const VERSIONS: DocVersion[] = [
  { version: 3, createdAt: '2026-03-05T10:00:00.000Z', createdBy: 'admin@example.com', name: 'Третья' },
  { version: 2, createdAt: '2026-03-04T10:00:00.000Z', createdBy: null, name: null },
  { version: 1, createdAt: '2026-03-03T10:00:00.000Z', createdBy: 'admin@example.com', name: 'Первая' },
];

describe('VersionHistory', () => {
  let fixture: ComponentFixture<Host>;
  let host: Host;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideNoMaterialAnimations()] });
    registerIcons();
    fixture = TestBed.createComponent(Host);
    host = fixture.componentInstance;
    await fixture.whenStable();
  });

  afterEach(() => clearOverlays());

  function row(version: number): HTMLElement {
    return fixture.nativeElement.querySelector(`[data-testid="doc-version-row"][data-version="${version}"]`);
  }

  function progress(): boolean {
    return fixture.nativeElement.querySelector('mat-progress-bar') !== null;
  }

  async function loaded(): Promise<void> {
    host.versions.next({ items: VERSIONS });
    host.versions.complete();
    await settle();
  }

  it('lists the versions: number, «now», when and who, the note, the details and the page’s slots', async () => {
    expect(progress()).toBe(true);
    expect(queryTestId(fixture, 'doc-version-row')).toBeNull();
    await loaded();
    expect(progress()).toBe(false);
    expect(text(byTestId(fixture, 'doc-history-sheet').querySelector('h2'))).toBe('История правила');
    expect(text(row(3).querySelector('.head strong'))).toBe('Версия 3');
    expect(text(row(3).querySelector('[data-testid="doc-version-current"]'))).toBe('сейчас');
    expect(row(2).querySelector('[data-testid="doc-version-current"]')).toBeNull();
    expect(text(row(2).querySelector('.muted'))).toMatch(/ · система · удалено$/);
    expect(text(row(1).querySelector('.muted'))).toMatch(/ · admin@example\.com · Первая$/);
    expect(Array.from(row(1).querySelectorAll('.muted')).map(text).pop()).toBe('первая');
    expect(text(row(2).querySelector('[data-testid="extra"]'))).toBe('2');
    expect(text(row(1).querySelector('[data-testid="after"]'))).toBe('after 1');
    // Not the current one, not a deleted one.
    const restorable = Array.from(
      fixture.nativeElement.querySelectorAll('[data-testid="doc-version-restore"]'),
    );
    expect(restorable.map((button) => (button as HTMLElement).closest('li')!.dataset['version'])).toEqual([
      '1',
    ]);

    host.canRestore.set(false);
    await settle();
    expect(queryTestId(fixture, 'doc-version-restore')).toBeNull();
  });

  it('says when there are no versions', async () => {
    host.versions.next({ items: [] });
    host.versions.complete();
    await settle();
    expect(text(fixture.nativeElement.querySelector('.versions'))).toBe('Версий нет');
  });

  it('restores only after a confirmation and reports the result', async () => {
    await loaded();
    row(1).querySelector<HTMLElement>('[data-testid="doc-version-restore"]')!.click();
    await settle();
    expect(text(document.querySelector('.cdk-overlay-container h2'))).toBe('Вернуть версию 1?');
    overlayTestId('confirm-cancel').click();
    await settle();
    expect(host.asked).toEqual([]);

    host.error.set(new Error('earlier'));
    row(1).querySelector<HTMLElement>('[data-testid="doc-version-restore"]')!.click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    expect(host.asked).toEqual([1]);
    expect(host.error()).toBeNull();
    expect(progress()).toBe(true);
    expect(row(1).querySelector<HTMLButtonElement>('[data-testid="doc-version-restore"]')!.disabled).toBe(
      true,
    );

    host.restoring.next('restored-1');
    host.restoring.complete();
    await settle();
    expect(host.restored).toEqual(['restored-1']);
    expect(progress()).toBe(false);
  });

  it('shows a failure in words: the load’s, and one the page reports', async () => {
    host.versions.error(new HttpErrorResponse({ status: 0 }));
    await settle();
    const alert = byTestId(fixture, 'doc-history-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(text(alert)).not.toBe('');
    expect(host.error()).toBeInstanceOf(HttpErrorResponse);

    host.error.set(null);
    await settle();
    expect(queryTestId(fixture, 'doc-history-error')).toBeNull();
    host.error.set(new HttpErrorResponse({ status: 500 }));
    await settle();
    expect(queryTestId(fixture, 'doc-history-error')).not.toBeNull();
  });
});
