// The monorepo's root Prettier settings, plus the Angular template parser for *.html
// (Prettier does not merge configs, so this file re-exports the root one).
import root from '../.prettierrc.json' with { type: 'json' };

export default {
  ...root,
  overrides: [{ files: '*.html', options: { parser: 'angular' } }],
};
