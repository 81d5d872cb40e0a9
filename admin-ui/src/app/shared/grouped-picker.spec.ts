import { type ComponentFixture, TestBed } from '@angular/core/testing';

import { clearOverlays, provideNoMaterialAnimations, settle } from '../../testing/overlay-helpers';
import { byTestId, queryTestId, text, typeInto } from '../../testing/test-helpers';
import { GroupedPicker, type PickerChoice, type PickerChoiceGroup } from './grouped-picker';

const LEAD: PickerChoice[] = [
  { ref: 'lead.name', name: 'Название', note: 'текст' },
  { ref: 'lead.price', name: 'Бюджет' },
];
const CONTACT: PickerChoice[] = [{ ref: 'contact.phone', name: 'Телефон' }];

function groupsFor(query: string): PickerChoiceGroup[] {
  const needle = query.toLowerCase();
  const keep = (choices: PickerChoice[]): PickerChoice[] =>
    choices.filter((choice) => choice.name.toLowerCase().includes(needle));
  return [
    { key: 'lead', label: 'rules.groups.lead' as const, choices: keep(LEAD) },
    { key: 'contact', label: 'rules.groups.contact' as const, choices: keep(CONTACT) },
  ].filter((group) => group.choices.length > 0);
}

describe('GroupedPicker', () => {
  let fixture: ComponentFixture<GroupedPicker>;
  let picked: string[];

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideNoMaterialAnimations()] });
    fixture = TestBed.createComponent(GroupedPicker);
    fixture.componentRef.setInput('groupsFor', groupsFor);
    fixture.componentRef.setInput('display', (ref: string | null) =>
      ref === null ? '' : ([...LEAD, ...CONTACT].find((choice) => choice.ref === ref)?.name ?? `?${ref}`),
    );
    fixture.componentRef.setInput('label', 'rules.condition.field');
    fixture.componentRef.setInput('nothing', 'rules.condition.nothing');
    fixture.componentRef.setInput('testId', 'field');
    picked = [];
    fixture.componentInstance.picked.subscribe((ref) => {
      picked.push(ref);
      fixture.componentRef.setInput('value', ref); // as the page does
    });
    await fixture.whenStable();
  });

  afterEach(() => clearOverlays());

  function box(): HTMLInputElement {
    return byTestId(fixture, 'field') as HTMLInputElement;
  }

  function overlay(selector: string): HTMLElement[] {
    return Array.from(document.querySelectorAll<HTMLElement>(`.cdk-overlay-container ${selector}`));
  }

  async function focusAndType(query: string): Promise<void> {
    box().focus();
    box().dispatchEvent(new Event('focusin'));
    typeInto(box(), query);
    await settle();
  }

  it('lists the choices under their headings, narrows them as the user types, and reports the pick', async () => {
    await focusAndType('');
    expect(overlay('mat-optgroup .mat-mdc-optgroup-label').map(text)).toEqual(['Сделка (amoCRM)', 'Контакт']);
    expect(overlay('mat-option').map(text)).toEqual(['Название · текст', 'Бюджет', 'Телефон']);
    expect(overlay('mat-option').map((option) => option.getAttribute('data-ref'))).toEqual([
      'lead.name',
      'lead.price',
      'contact.phone',
    ]);

    await focusAndType('тел');
    const options = overlay('[data-testid="field-option"]');
    expect(options.map(text)).toEqual(['Телефон']);
    options[0].click();
    await settle();
    expect(picked).toEqual(['contact.phone']);
    expect(box().value).toBe('Телефон');
  });

  it('says so when nothing matches', async () => {
    await focusAndType('нет такого');
    expect(overlay('mat-option').map(text)).toEqual(['Ничего не нашлось']);
  });

  it('shows the chosen reference as the page reads it, also one no group has', async () => {
    fixture.componentRef.setInput('value', 'lead.price');
    await fixture.whenStable();
    expect(box().value).toBe('Бюджет');
    fixture.componentRef.setInput('value', 'lead.gone');
    await fixture.whenStable();
    expect(box().value).toBe('?lead.gone');
    expect(picked).toEqual([]);
  });

  it('picks with the keyboard', async () => {
    await focusAndType('бюд');
    box().dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', keyCode: 40, bubbles: true }));
    box().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true }));
    await settle();
    expect(picked).toEqual(['lead.price']);
  });

  it('shows an error under the box and marks it invalid; can be disabled', async () => {
    expect(box().getAttribute('aria-invalid')).toBe('false');
    expect(queryTestId(fixture, 'field-error')).toBeNull();
    fixture.componentRef.setInput('error', 'Такого поля нет');
    fixture.componentRef.setInput('disabled', true);
    await fixture.whenStable();
    const error = byTestId(fixture, 'field-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(error)).toBe('Такого поля нет');
    expect(box().getAttribute('aria-invalid')).toBe('true');
    expect(box().disabled).toBe(true);
  });
});
