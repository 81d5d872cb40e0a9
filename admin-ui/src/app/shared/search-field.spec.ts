import { type ComponentFixture, TestBed } from '@angular/core/testing';

import { byTestId, registerIcons, typeInto } from '../../testing/test-helpers';
import { SearchField } from './search-field';

describe('SearchField', () => {
  let fixture: ComponentFixture<SearchField>;

  beforeEach(async () => {
    registerIcons();
    fixture = TestBed.createComponent(SearchField);
    fixture.componentRef.setInput('label', 'contacts.searchHint');
    fixture.componentRef.setInput('testId', 'search');
    fixture.componentRef.setInput('maxLength', 64);
    await fixture.whenStable();
  });

  function clearButton(): HTMLButtonElement | null {
    return fixture.nativeElement.querySelector('button[matsuffix], button[matSuffix]');
  }

  it('reports every keystroke and clears with its button', async () => {
    const seen: string[] = [];
    fixture.componentInstance.value.subscribe((value) => seen.push(value));
    const input = byTestId(fixture, 'search') as HTMLInputElement;
    expect(input.getAttribute('maxlength')).toBe('64');
    expect(clearButton()).toBeNull();

    typeInto(input, 'Иван');
    await fixture.whenStable();
    expect(seen).toEqual(['Иван']);
    clearButton()!.click();
    await fixture.whenStable();
    expect(seen).toEqual(['Иван', '']);
    expect(input.value).toBe('');
    expect(clearButton()).toBeNull();
  });

  it('shows the value the page sets', async () => {
    fixture.componentRef.setInput('value', '+79161234567');
    await fixture.whenStable();
    expect((byTestId(fixture, 'search') as HTMLInputElement).value).toBe('+79161234567');
    expect(clearButton()).not.toBeNull();
  });
});
