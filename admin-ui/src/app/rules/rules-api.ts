import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { Page } from '../shared/page';
import type {
  BacktestResult,
  Rule,
  RuleBody,
  RuleDiff,
  RuleImportResult,
  RuleListItem,
  RuleSet,
  RuleVersionView,
} from './rules.models';

/** `/api/v1/rules`: everyone reads; admins change, reorder, restore, import. */
@Injectable({ providedIn: 'root' })
export class RulesApi extends ApiClient {
  list(): Observable<Page<RuleListItem>> {
    return this.get<Page<RuleListItem>>('/rules', { page: 1, limit: 100 });
  }

  rule(id: string): Observable<Rule> {
    return this.get<Rule>(`/rules/${id}`);
  }

  create(body: RuleBody): Observable<Rule> {
    return this.post<Rule>('/rules', body);
  }

  save(id: string, body: RuleBody): Observable<Rule> {
    return this.put<Rule>(`/rules/${id}`, body);
  }

  remove(id: string): Observable<void> {
    return this.delete(`/rules/${id}`);
  }

  setEnabled(id: string, enabled: boolean): Observable<Rule> {
    return this.post<Rule>(`/rules/${id}/${enabled ? 'enable' : 'disable'}`);
  }

  duplicate(id: string): Observable<Rule> {
    return this.post<Rule>(`/rules/${id}/duplicate`);
  }

  reorder(ids: string[]): Observable<Rule[]> {
    return this.post<Rule[]>('/rules/reorder', { ids });
  }

  versions(id: string): Observable<Page<RuleVersionView>> {
    return this.get<Page<RuleVersionView>>(`/rules/${id}/versions`, { page: 1, limit: 100 });
  }

  diff(id: string, to: number, from?: number): Observable<RuleDiff> {
    return this.get<RuleDiff>(`/rules/${id}/diff`, { to, from });
  }

  restore(id: string, version: number): Observable<Rule> {
    return this.post<Rule>(`/rules/${id}/versions/${version}/restore`);
  }

  exportSet(): Observable<RuleSet> {
    return this.get<RuleSet>('/rules/export');
  }

  importSet(set: unknown, mode: 'append' | 'replace'): Observable<RuleImportResult> {
    const body = typeof set === 'object' && set !== null && !Array.isArray(set) ? set : { rules: set };
    return this.post<RuleImportResult>('/rules/import', { ...body, mode });
  }

  /** Tries an unsaved draft on the newest stored events; nothing is sent or stored. */
  backtest(rule: RuleBody, last = 20): Observable<BacktestResult> {
    return this.post<BacktestResult>('/rules/backtest', { rule, last });
  }
}
