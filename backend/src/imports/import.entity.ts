import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, jsonText, newId, UpdatedAt } from '../database/columns';
import type { CsvDelimiter, CsvEncoding } from './parsing/csv-reader';
import type { ImportColumn, SheetCell } from './parsing/header-row';
import type { ImportFormat } from './parsing/preview.types';
import type { ImportMapping } from './mapping/import-mapping';

export const IMPORT_STATUSES = [
  'uploaded',
  'parsing',
  'processing',
  'paused',
  'done',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** An uploaded spreadsheet: the file (in `import_file_chunks`), its preview, the chosen sheet and mapping. */
@Entity('imports')
@Index('idx_imports_workspace_created', ['workspaceId', 'createdAt'])
export class ImportEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** `user` or `api_key`, its id, and its e-mail or name at upload time. */
  @Column({ name: 'uploaded_by_kind', type: 'varchar', length: 16 })
  uploadedByKind!: string;

  @Column({ name: 'uploaded_by_id', type: 'char', length: 36 })
  uploadedById!: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 255 })
  uploadedBy!: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: bigintNumber })
  sizeBytes!: number;

  @Column({ type: 'varchar', length: 8 })
  format!: ImportFormat;

  @Column({ type: 'varchar', length: 16 })
  status!: ImportStatus;

  @Column({ type: 'longtext', transformer: jsonText })
  sheets!: string[];

  @Column({ type: 'varchar', length: 255 })
  sheet!: string;

  @Column({ name: 'header_row', type: 'int' })
  headerRow!: number;

  @Column({ type: 'longtext', transformer: jsonText })
  columns!: ImportColumn[];

  @Column({ name: 'sample_rows', type: 'longtext', transformer: jsonText })
  sampleRows!: SheetCell[][];

  /** CSV only: the detected encoding and delimiter. */
  @Column({ name: 'csv_options', type: 'longtext', nullable: true, transformer: jsonText })
  csvOptions!: { encoding: CsvEncoding; delimiter: CsvDelimiter } | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  mapping!: ImportMapping | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}

/** The uploaded file itself, in 1 MB pieces (every api replica and worker reads it; no shared disk needed). */
@Entity('import_file_chunks')
export class ImportFileChunkEntity {
  @PrimaryColumn({ name: 'import_id', type: 'char', length: 36 })
  importId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'longblob' })
  data!: Buffer;
}

/** A named column mapping a workspace reuses for files of the same layout. */
@Entity('import_templates')
@Index('uq_import_templates_name', ['workspaceId', 'name'], { unique: true })
export class ImportTemplateEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'longtext', transformer: jsonText })
  mapping!: ImportMapping;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy!: string;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
