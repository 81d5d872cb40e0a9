import { ApiProperty } from '@nestjs/swagger';

export class ImportAmocrmFieldOptionDto {
  @ApiProperty({ example: 5501 })
  id!: number;

  @ApiProperty({ example: 'Москва' })
  value!: string;
}

export class ImportAmocrmFieldDto {
  @ApiProperty({ example: 'lead.custom.12', description: 'What the mapping names (`columns` values)' })
  field!: string;

  @ApiProperty({ example: 'Город', description: "The field's name in amoCRM" })
  name!: string;

  @ApiProperty({
    example: 'select',
    description: "amoCRM's field type: text, numeric, date, select, checkbox…",
  })
  type!: string;

  @ApiProperty({ enum: ['contact', 'lead'] })
  entity!: 'contact' | 'lead';

  @ApiProperty({
    type: [ImportAmocrmFieldOptionDto],
    nullable: true,
    description: 'The options of a select, radio button or multiselect (a cell names one by its text)',
  })
  options!: ImportAmocrmFieldOptionDto[] | null;
}

export class ImportAmocrmFieldsDto {
  @ApiProperty({ type: [ImportAmocrmFieldDto] })
  items!: ImportAmocrmFieldDto[];
}
