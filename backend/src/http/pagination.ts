import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, Max, Min, type ValidationArguments } from 'class-validator';
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

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** How a list is ordered: one field of the list's whitelist and a direction. */
export interface ListSort<F extends string = string> {
  field: F;
  order: SortOrder;
}

/** What a 400 says of a refused value: the value itself (shortened), or that one plain value was expected. */
function refused(name: string, allowed: readonly string[]) {
  return ({ value }: ValidationArguments): string =>
    typeof value === 'string'
      ? `${name} cannot be "${value.slice(0, 40)}": use one of ${allowed.join(', ')}`
      : `${name} must be one of ${allowed.join(', ')} (given once)`;
}

/**
 * The `sort` query parameter of a list: one of `fields` (the list's whitelist). Anything else — an unknown or
 * prototype-like name, a repeated parameter (an array), an object — is a 400 naming `sort` and the value given.
 */
export function SortField(fields: readonly string[]): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: fields, description: 'Sort by this column (ties broken by id)' }),
    IsOptional(),
    IsIn(fields, { message: refused('sort', fields) }),
  );
}

/** The `order` query parameter: asc or desc (asc when only `sort` is given). */
export function SortDirection(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: SORT_ORDERS, description: 'asc when sort is given, else the list default' }),
    IsOptional(),
    IsIn(SORT_ORDERS, { message: refused('order', SORT_ORDERS) }),
  );
}

/** The sort asked for, or the list's default order when `sort` is absent (then `order` only flips it). */
export function sortOf<F extends string>(
  query: { sort?: F; order?: SortOrder },
  fallback: ListSort<F>,
): ListSort<F> {
  if (query.sort === undefined) return { field: fallback.field, order: query.order ?? fallback.order };
  return { field: query.sort, order: query.order ?? 'asc' };
}

/**
 * ORDER BY of a sorted list (for TypeORM's `orderBy`, or joined into SQL): the column of the sort's field, then the
 * id in the same direction, so rows with equal values keep one order across pages. `columns` maps every field of
 * the whitelist to its column; `alias` prefixes them (and the id) unless a column names its own table (`c.name`).
 */
export function orderByOf<F extends string>(
  sort: ListSort<F>,
  columns: Readonly<Record<F, string>>,
  alias?: string,
  ties: readonly string[] = ['id'],
): Record<string, 'ASC' | 'DESC'> {
  if (!Object.hasOwn(columns, sort.field)) throw new Error(`no column to sort by ${sort.field}`);
  const direction = sort.order === 'asc' ? 'ASC' : 'DESC';
  const qualify = (column: string) => (alias && !column.includes('.') ? `${alias}.${column}` : column);
  const order: Record<string, 'ASC' | 'DESC'> = { [qualify(columns[sort.field])]: direction };
  for (const tie of ties) order[qualify(tie)] ??= direction;
  return order;
}

/** The same order as plain SQL: `name ASC, id ASC`. */
export function orderBySql(order: Record<string, 'ASC' | 'DESC'>): string {
  return Object.entries(order)
    .map(([column, direction]) => `${column} ${direction}`)
    .join(', ');
}
