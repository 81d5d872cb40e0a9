import type { AccountData } from './account-data';
import { applyCustomFieldWrites } from './custom-field-values';
import type { CompanyRecord } from './entity-records';
import { defaultResponsible, readCommonWrite, type CommonWrite } from './entity-writes';
import { isRecord } from './json-input';
import type { EntityIssues } from './problems';
import { nowSeconds } from './sandbox-runtime';

/** Companies exist only as far as `leads/complex` and lead links need them. */
export class CompaniesService {
  constructor(private readonly data: AccountData) {}

  prepareCreate(raw: unknown, issues: EntityIssues): CommonWrite | undefined {
    if (!isRecord(raw)) {
      issues.add('InvalidType', '', 'A company must be an object');
      return undefined;
    }
    return readCommonWrite(raw, this.data, this.data.companyFields, this.data.companyTags, issues);
  }

  commitCreate(write: CommonWrite, actorUserId: number): CompanyRecord {
    const now = nowSeconds();
    const record: CompanyRecord = {
      id: this.data.nextId('company'),
      name: write.name ?? '',
      responsibleUserId: write.responsibleUserId ?? defaultResponsible(actorUserId, this.data),
      createdBy: write.createdBy ?? actorUserId,
      updatedBy: write.updatedBy ?? actorUserId,
      createdAt: write.createdAt ?? now,
      updatedAt: write.updatedAt ?? now,
      isDeleted: false,
      customFields: applyCustomFieldWrites([], write.customFields),
      tagIds: this.data.companyTags.commit(write.tags ?? []),
    };
    this.data.companies.set(record.id, record);
    return record;
  }
}
