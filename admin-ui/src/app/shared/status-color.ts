/** Text colours for a chip on an arbitrary background (amoCRM stage colours are mostly pastel). */
const DARK_TEXT = '#1d1b20';
const LIGHT_TEXT = '#ffffff';

/** `#rgb` / `#rrggbb` → [r, g, b] in 0..255, or `null` for anything else. */
export function parseHexColor(color: string | null | undefined): [number, number, number] | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((color ?? '').trim());
  if (!match?.[1]) {
    return null;
  }
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join('') : match[1];
  return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance of a colour (0 black … 1 white). */
function luminance([r, g, b]: [number, number, number]): number {
  const [lr, lg, lb] = [r, g, b].map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

/**
 * Background and text colour of a chip painted in `color` (an amoCRM stage colour such as
 * `#99ccff`): dark text on light colours, white text on dark ones. `null` when the colour is
 * missing or not a hex colour (the chip then keeps the theme's neutral look).
 */
export function chipColors(color: string | null | undefined): { background: string; text: string } | null {
  const rgb = parseHexColor(color);
  if (!rgb) {
    return null;
  }
  const background = `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  // Contrast with black vs white: (L + 0.05) / 0.05 against (1.05) / (L + 0.05).
  const l = luminance(rgb);
  return { background, text: (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? DARK_TEXT : LIGHT_TEXT };
}
