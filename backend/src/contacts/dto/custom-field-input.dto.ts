import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsPositive,
  ValidateNested,
} from 'class-validator';
import { IsScalar } from '../../http/is-scalar.validator';

export class CustomFieldValueInputDto {
  @ApiPropertyOptional({
    description: 'The value: text, number, true/false, or a unix time for date fields',
    example: 'Москва',
  })
  @IsOptional()
  @IsScalar()
  value?: string | number | boolean;

  @ApiPropertyOptional({
    description: 'For list fields (select, multiselect, radiobutton): the option id',
    example: 1234,
  })
  @IsOptional()
  @IsInt()
  @IsPositive()
  enumId?: number;
}

/** A custom field of amoCRM and its values (several for multi-value fields). */
export class CustomFieldInputDto {
  @ApiProperty({
    description: 'amoCRM custom field id (see GET /api/v1/connections/amocrm/metadata)',
    example: 512345,
  })
  @IsInt()
  @IsPositive()
  fieldId!: number;

  @ApiProperty({ type: [CustomFieldValueInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldValueInputDto)
  values!: CustomFieldValueInputDto[];
}
