import { ApiProperty } from '@nestjs/swagger';
import type { LptrackerProjectMetadata } from '../metadata/lptracker-metadata.types';

export class LptrackerCustomFieldDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'text, funnel, owner, cats, map…', example: 'text' })
  type!: string;

  @ApiProperty({ type: [String], nullable: true, description: 'The choices of a list field (`cats`)' })
  options!: string[] | null;
}

export class LptrackerContactFieldDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'text' })
  type!: string;
}

export class LptrackerStageDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'В работе' })
  name!: string;
}

export class LptrackerStaffDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  job!: string | null;
}

export class LptrackerProjectMetadataDto {
  @ApiProperty({ example: 101 })
  projectId!: number;

  @ApiProperty({ example: 'Сайт' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  domain!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  fetchedAt!: string;

  @ApiProperty({ type: [LptrackerCustomFieldDto], description: 'Lead custom fields (`customs`)' })
  customs!: LptrackerCustomFieldDto[];

  @ApiProperty({ type: [LptrackerContactFieldDto] })
  contactFields!: LptrackerContactFieldDto[];

  @ApiProperty({ type: [LptrackerStageDto], description: 'Funnel stages' })
  funnel!: LptrackerStageDto[];

  @ApiProperty({ type: [LptrackerStaffDto] })
  staff!: LptrackerStaffDto[];

  static from(metadata: LptrackerProjectMetadata): LptrackerProjectMetadataDto {
    return {
      projectId: metadata.project.id,
      name: metadata.project.name,
      domain: metadata.project.domain,
      fetchedAt: metadata.fetchedAt.toISOString(),
      customs: metadata.customs.map((field) => ({
        id: field.id,
        name: field.name,
        type: field.type,
        options: field.options,
      })),
      contactFields: metadata.contactFields.map((field) => ({
        id: field.id,
        name: field.name,
        type: field.type,
      })),
      funnel: metadata.funnel.map((stage) => ({ id: stage.id, name: stage.name })),
      staff: metadata.staff.map((member) => ({ id: member.id, name: member.name, job: member.job })),
    };
  }
}

export class LptrackerMetadataDto {
  @ApiProperty({ type: [LptrackerProjectMetadataDto], description: 'One entry per enabled project' })
  projects!: LptrackerProjectMetadataDto[];

  static from(projects: LptrackerProjectMetadata[]): LptrackerMetadataDto {
    return { projects: projects.map((project) => LptrackerProjectMetadataDto.from(project)) };
  }
}
