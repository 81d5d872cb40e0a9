import { type ComponentFixture, TestBed } from '@angular/core/testing';

import { byTestId, text } from '../../testing/test-helpers';
import { TextField } from './text-field';

describe('TextField', () => {
  let fixture: ComponentFixture<TextField>;
  let changed: string[];

  beforeEach(async () => {
    fixture = TestBed.createComponent(TextField);
    fixture.componentRef.setInput('label', 'rules.action.text');
    fixture.componentRef.setInput('testId', 'note');
    fixture.componentRef.setInput('value', 'Перезвонить');
    fixture.componentRef.setInput('maxLength', 1000);
    changed = [];
    fixture.componentInstance.changed.subscribe((value) => changed.push(value));
    await fixture.whenStable();
  });

  function box(): HTMLInputElement {
    return byTestId(fixture, 'note') as HTMLInputElement;
  }

  it('shows its label and value, and reports the text once the user is done, not on every key', () => {
    expect(text(fixture.nativeElement.querySelector('mat-label'))).toBe('Текст');
    expect(box().tagName).toBe('INPUT');
    expect(box().value).toBe('Перезвонить');
    expect(box().getAttribute('maxlength')).toBe('1000');
    box().value = 'Позвонить завтра';
    box().dispatchEvent(new Event('input'));
    expect(changed).toEqual([]);
    box().dispatchEvent(new Event('change'));
    expect(changed).toEqual(['Позвонить завтра']);
  });

  it('is a number box with a minimum, or a text area, and can be disabled', async () => {
    fixture.componentRef.setInput('type', 'number');
    fixture.componentRef.setInput('min', 1);
    fixture.componentRef.setInput('maxLength', null);
    fixture.componentRef.setInput('value', 24);
    await fixture.whenStable();
    expect(box().type).toBe('number');
    expect(box().getAttribute('min')).toBe('1');
    expect(box().hasAttribute('maxlength')).toBe(false);
    expect(box().value).toBe('24');

    fixture.componentRef.setInput('rows', 3);
    fixture.componentRef.setInput('disabled', true);
    await fixture.whenStable();
    const area = byTestId(fixture, 'note') as HTMLTextAreaElement;
    expect(area.tagName).toBe('TEXTAREA');
    expect(area.rows).toBe(3);
    expect(area.disabled).toBe(true);
    area.value = 'Длинная заметка';
    area.dispatchEvent(new Event('change'));
    expect(changed).toEqual(['Длинная заметка']);
  });
});
