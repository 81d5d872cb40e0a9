import { ApiProperty } from '@nestjs/swagger';
import type { LptrackerTargetProject } from '../../sync/lptracker/lptracker-lead-write.service';
import { fieldsFor } from '../mapping/import-mapping';

export class ImportTargetFieldDto {
  @ApiProperty({ example: 'lead.custom.12', description: 'What the mapping names (`columns` values)' })
  field!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Бюджет',
    description: "The field's name in LPTracker; null for a built-in field (the console names those)",
  })
  name!: string | null;
}

export class ImportLptrackerProjectDto {
  @ApiProperty({ example: 1001 })
  id!: number;

  @ApiProperty({ example: 'Окна' })
  name!: string;

  @ApiProperty({
    type: [ImportTargetFieldDto],
    description:
      'The fields a column of a leads import may feed in this project: the built-ins, then the custom fields of ' +
      'its leads (`lead.custom.<id>`) and the fields of its contacts (`contact.field.<id>`)',
  })
  fields!: ImportTargetFieldDto[];

  static from(project: LptrackerTargetProject): ImportLptrackerProjectDto {
    const builtIns = fieldsFor('leads', 'lptracker').filter((field) => !field.endsWith('.<id>'));
    return {
      id: project.id,
      name: project.name,
      fields: [
        ...builtIns.map((field) => ({ field, name: null })),
        ...project.fields.map(({ field, name }) => ({ field, name })),
      ],
    };
  }
}

export class ImportLptrackerProjectsDto {
  @ApiProperty({
    type: [ImportLptrackerProjectDto],
    description: 'The enabled LPTracker projects (empty when LPTracker is not connected)',
  })
  items!: ImportLptrackerProjectDto[];
}
