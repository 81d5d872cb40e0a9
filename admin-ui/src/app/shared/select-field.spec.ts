import { type ComponentFixture, TestBed } from '@angular/core/testing';

import { clearOverlays, provideNoMaterialAnimations, settle } from '../../testing/overlay-helpers';
import { byTestId, queryTestId, text } from '../../testing/test-helpers';
import { type SelectOption, SelectField, keyedOptions, labelledOptions, namedOptions } from './select-field';

type Direction = 'in' | 'out';

describe('SelectField', () => {
  let fixture: ComponentFixture<SelectField<Direction | null>>;
  let picked: (Direction | null)[];

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideNoMaterialAnimations()] });
    fixture = TestBed.createComponent(SelectField<Direction | null>);
    const options: SelectOption<Direction>[] = [
      { value: 'in', key: 'callResults.directions.in', type: 'incoming' },
      { value: 'out', label: 'Наружу' },
    ];
    fixture.componentRef.setInput('label', 'callResults.filters.direction');
    fixture.componentRef.setInput('testId', 'direction');
    fixture.componentRef.setInput('none', 'callResults.filters.any');
    fixture.componentRef.setInput('options', options);
    fixture.componentRef.setInput('value', null);
    picked = [];
    fixture.componentInstance.picked.subscribe((value) => picked.push(value));
    await fixture.whenStable();
  });

  afterEach(() => clearOverlays());

  function select(): HTMLElement {
    return byTestId(fixture, 'direction');
  }

  async function open(): Promise<HTMLElement[]> {
    select().querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    await settle();
    return Array.from(document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'));
  }

  it('offers «none» first, then the choices in their words, and reports the pick', async () => {
    expect(text(fixture.nativeElement.querySelector('mat-label'))).toBe('Направление');
    const options = await open();
    expect(options.map(text)).toEqual(['Все', 'Входящий', 'Наружу']);
    expect(options.map((option) => option.getAttribute('data-type'))).toEqual([null, 'incoming', null]);

    options[2].click();
    await settle();
    expect(picked).toEqual(['out']);
    expect(text(select())).toBe('Наружу');

    (await open())[0].click();
    await settle();
    expect(picked).toEqual(['out', null]);
  });

  it('shows the value the page sets without reporting it, and has no «none» unless asked', async () => {
    fixture.componentRef.setInput('value', 'in');
    fixture.componentRef.setInput('none', null);
    await fixture.whenStable();
    expect(text(select())).toBe('Входящий');
    expect(picked).toEqual([]);
    expect((await open()).map(text)).toEqual(['Входящий', 'Наружу']);
  });

  it('moves through the choices with the arrow keys while closed', async () => {
    fixture.componentRef.setInput('value', 'in');
    await fixture.whenStable();
    select().dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', keyCode: 40, bubbles: true }));
    await settle();
    expect(picked).toEqual(['out']);
    expect(text(select())).toBe('Наружу');
  });

  it('can be disabled, named by an aria label and a placeholder, and left without a test id', async () => {
    fixture.componentRef.setInput('disabled', true);
    fixture.componentRef.setInput('label', null);
    fixture.componentRef.setInput('ariaLabel', 'Телефон клиента');
    fixture.componentRef.setInput('placeholder', 'imports.mapping.skip');
    await fixture.whenStable();
    expect(select().getAttribute('aria-disabled')).toBe('true');
    expect(select().getAttribute('aria-label')).toBe('Телефон клиента');
    expect(fixture.nativeElement.querySelector('mat-label')).toBeNull();
    expect(text(select())).toBe('Не загружать');

    fixture.componentRef.setInput('testId', null);
    await fixture.whenStable();
    expect(queryTestId(fixture, 'direction')).toBeNull();
    expect(fixture.nativeElement.querySelector('mat-select').hasAttribute('data-testid')).toBe(false);
  });
});

describe('select option helpers', () => {
  it('build choices from named, labelled and fixed values', () => {
    expect(namedOptions([{ id: 7, name: 'Воронка' }])).toEqual([{ value: 7, label: 'Воронка' }]);
    expect(labelledOptions([{ id: 3, label: 'Анна' }])).toEqual([{ value: 3, label: 'Анна' }]);
    expect(keyedOptions(['in', 'out'] as const, (value) => `callResults.directions.${value}`)).toEqual([
      { value: 'in', key: 'callResults.directions.in' },
      { value: 'out', key: 'callResults.directions.out' },
    ]);
  });
});
