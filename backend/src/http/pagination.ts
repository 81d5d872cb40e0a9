import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInteger } from './query-integer';

/** Pages past this one are refused: with `limit` ≤ 100 the row offset stays far below 2^53. */
export const MAX_PAGE = 1_000_000;
export const MAX_LIMIT = 100;

/** `page` from 1 and `limit` up to 100: the paging every list endpoint takes. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: `page must be a whole number from 1 to ${MAX_PAGE}` })
  @Min(1, { message: `page must be a whole number from 1 to ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `page must be a whole number from 1 to ${MAX_PAGE}` })
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: 20 })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  @Max(MAX_LIMIT, { message: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  limit: number = 20;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export function pageOf<T>(items: T[], total: number, query: PageQueryDto): Page<T> {
  return { items, total, page: query.page, limit: query.limit };
}

/** Base for the OpenAPI description of a page; subclasses declare `items` with their own type. */
export abstract class PageDto {
  @ApiProperty({ example: 42 })
  total!: number;

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;
}
