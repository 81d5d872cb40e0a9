import { ApiProperty } from '@nestjs/swagger';
import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../metadata/amocrm-metadata.types';

export class AmocrmAccountInfoDto {
  @ApiProperty({ example: 31000001 })
  id!: number;

  @ApiProperty({ example: 'ООО «Ромашка»' })
  name!: string;

  @ApiProperty({ example: 'mycompany' })
  subdomain!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The amoCRM user the integration acts as' })
  currentUserId!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'RUB' })
  currency!: string | null;
}

export class AmocrmUserDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty()
  isAdmin!: boolean;

  @ApiProperty()
  isActive!: boolean;
}

export class AmocrmStatusDto {
  @ApiProperty({ description: '142 = won, 143 = lost in every pipeline' })
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: '#99ccff' })
  color!: string | null;

  @ApiProperty({ description: '0 a regular stage, 1 incoming (unsorted)' })
  type!: number;

  @ApiProperty()
  sort!: number;
}

export class AmocrmPipelineDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  isMain!: boolean;

  @ApiProperty()
  isArchive!: boolean;

  @ApiProperty()
  sort!: number;

  @ApiProperty({ type: [AmocrmStatusDto] })
  statuses!: AmocrmStatusDto[];
}

export class AmocrmFieldEnumDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  value!: string;

  @ApiProperty()
  sort!: number;
}

export class AmocrmCustomFieldDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'PHONE' })
  code!: string | null;

  @ApiProperty({
    example: 'multitext',
    description: 'text, numeric, checkbox, select, multiselect, multitext, date, date_time, url…',
  })
  type!: string;

  @ApiProperty()
  sort!: number;

  @ApiProperty({ type: [AmocrmFieldEnumDto], nullable: true, description: 'Options of select-like fields' })
  enums!: AmocrmFieldEnumDto[] | null;
}

/** The cached account metadata: what mappings and rules are built against. */
export class AmocrmMetadataDto {
  @ApiProperty({ format: 'date-time' })
  fetchedAt!: string;

  @ApiProperty({ type: AmocrmAccountInfoDto })
  account!: AmocrmAccountInfoDto;

  @ApiProperty({ type: [AmocrmUserDto] })
  users!: AmocrmUserDto[];

  @ApiProperty({ type: [AmocrmPipelineDto] })
  pipelines!: AmocrmPipelineDto[];

  @ApiProperty({ type: [AmocrmCustomFieldDto] })
  contactFields!: AmocrmCustomFieldDto[];

  @ApiProperty({ type: [AmocrmCustomFieldDto] })
  leadFields!: AmocrmCustomFieldDto[];

  static from(metadata: AmocrmMetadata): AmocrmMetadataDto {
    const field = (meta: AmocrmCustomFieldMeta): AmocrmCustomFieldDto => ({
      id: meta.id,
      name: meta.name,
      code: meta.code,
      type: meta.type,
      sort: meta.sort,
      enums: meta.enums
        ? meta.enums.map((option) => ({ id: option.id, value: option.value, sort: option.sort }))
        : null,
    });
    return {
      fetchedAt: metadata.fetchedAt.toISOString(),
      account: { ...metadata.account },
      users: metadata.users.map((user) => ({ ...user })),
      pipelines: metadata.pipelines.map((pipeline) => ({
        id: pipeline.id,
        name: pipeline.name,
        isMain: pipeline.isMain,
        isArchive: pipeline.isArchive,
        sort: pipeline.sort,
        statuses: pipeline.statuses.map((status) => ({ ...status })),
      })),
      contactFields: metadata.contactFields.map(field),
      leadFields: metadata.leadFields.map(field),
    };
  }
}
