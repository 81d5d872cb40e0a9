import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialog } from '@angular/material/dialog';
import { Router, provideRouter } from '@angular/router';

import { clearOverlays, provideNoMaterialAnimations, settle } from '../../../testing/overlay-helpers';
import { type UrlDrawer, urlDrawer } from './url-drawer';

interface Row {
  id: string;
  name: string;
}
interface SheetData {
  id: string;
  name: string;
}

@Component({
  template: '<p data-testid="sheet">{{ data.id }}: {{ data.name }}</p>',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Sheet {
  protected readonly data = inject<SheetData>(MAT_DIALOG_DATA);
}

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class ListHost {
  /** Stands for the page's `?open=` input. */
  readonly open = signal<string | undefined>(undefined);
  readonly rows: Row[] = [{ id: 'r-1', name: 'из списка' }];
  readonly drawer: UrlDrawer<Sheet, SheetData, Row> = urlDrawer<Sheet, SheetData, Row>({
    open: this.open,
    component: Sheet,
    find: (id) => this.rows.find((row) => row.id === id),
    data: (id, initial) => ({ id, name: initial?.name ?? 'загружается' }),
  });
}

function sheetText(): string | null {
  return document.querySelector('.cdk-overlay-container [data-testid="sheet"]')?.textContent ?? null;
}

describe('urlDrawer', () => {
  let fixture: ComponentFixture<ListHost>;
  let navigate: ReturnType<typeof vi.spyOn>;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideNoMaterialAnimations()] });
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    fixture = TestBed.createComponent(ListHost);
    await fixture.whenStable();
  });

  afterEach(() => clearOverlays());

  it('opens a clicked row with what the list shows and puts its id in the address', async () => {
    fixture.componentInstance.drawer.show('r-2', { id: 'r-2', name: 'Иван' });
    await settle();

    expect(sheetText()).toBe('r-2: Иван');
    expect(fixture.componentInstance.drawer.openId()).toBe('r-2');
    expect(navigate).toHaveBeenCalledWith([], { queryParams: { open: 'r-2' }, queryParamsHandling: 'merge' });
  });

  it('follows the address: a link opens the record (with its row from the list), removing the id closes it', async () => {
    fixture.componentInstance.open.set('r-1');
    await settle();
    expect(sheetText()).toBe('r-1: из списка');

    fixture.componentInstance.open.set('r-9');
    await settle();
    expect(sheetText()).toBe('r-9: загружается');
    expect(TestBed.inject(MatDialog).openDialogs).toHaveLength(1);

    fixture.componentInstance.open.set(undefined);
    await settle();
    expect(sheetText()).toBeNull();
    expect(fixture.componentInstance.drawer.openId()).toBeNull();
  });

  it('removes the id from the address when the user closes the sheet', async () => {
    fixture.componentInstance.open.set('r-1');
    await settle();
    navigate.mockClear();

    TestBed.inject(MatDialog).closeAll();
    await settle();
    expect(sheetText()).toBeNull();
    expect(navigate).toHaveBeenCalledWith([], {
      queryParams: { open: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  });

  it('closes the sheet when the page goes away, leaving the address alone', async () => {
    fixture.componentInstance.open.set('r-1');
    await settle();
    navigate.mockClear();

    fixture.destroy();
    await settle();
    expect(sheetText()).toBeNull();
    expect(navigate).not.toHaveBeenCalled();
  });
});
