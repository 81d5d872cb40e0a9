import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import RuleEditorPage from './rule-editor-page';
import RulesPage from './rules-page';

export default [
  { path: '', component: RulesPage, title: 'rules.title' satisfies TranslationKey },
  { path: 'new', component: RuleEditorPage, title: 'rules.editor.titleNew' satisfies TranslationKey },
  { path: ':id', component: RuleEditorPage, title: 'rules.editor.titleEdit' satisfies TranslationKey },
] satisfies Routes;
