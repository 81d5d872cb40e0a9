import { chipColors, parseHexColor } from './status-color';
import { isPlausiblePhone, formatPhone } from './phone';
import { formatRubles } from './rubles.pipe';

describe('chipColors', () => {
  it('paints light amoCRM stage colours with dark text', () => {
    expect(chipColors('#99ccff')).toEqual({ background: '#99ccff', text: '#1d1b20' });
    expect(chipColors('#CCFF66')).toEqual({ background: '#ccff66', text: '#1d1b20' });
  });

  it('paints dark colours with white text', () => {
    expect(chipColors('#1a237e')).toEqual({ background: '#1a237e', text: '#ffffff' });
    expect(chipColors('#000')).toEqual({ background: '#000000', text: '#ffffff' });
  });

  it('keeps the neutral look without a usable colour', () => {
    expect(chipColors(null)).toBeNull();
    expect(chipColors('red')).toBeNull();
    expect(parseHexColor('#12345')).toBeNull();
  });
});

describe('phones and money', () => {
  it('accepts phone numbers as people type them and refuses the rest', () => {
    for (const phone of ['+7 916 123-45-67', '8 (916) 123-45-67', '9161234567', '+49 30 1234567']) {
      expect(isPlausiblePhone(phone), phone).toBe(true);
    }
    for (const phone of ['12345', 'abc', '+7 916 12a-45-67', '7+9161234567', '1234567890123456']) {
      expect(isPlausiblePhone(phone), phone).toBe(false);
    }
  });

  it('shows Russian numbers grouped', () => {
    expect(formatPhone('+79161234567')).toBe('+7 916 123-45-67');
    expect(formatPhone('+4930123456')).toBe('+4930123456');
  });

  it('formats budgets in roubles', () => {
    expect(formatRubles(150000, 'ru-RU')?.replace(/\s/g, ' ')).toBe('150 000 ₽');
    expect(formatRubles(null, 'ru-RU')).toBeNull();
  });
});
