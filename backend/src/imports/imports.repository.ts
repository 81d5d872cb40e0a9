import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { ImportEntity, ImportFileChunkEntity, ImportTemplateEntity } from './import.entity';

/** Imports, their stored files and the workspace's mapping templates. */
@Injectable()
export class ImportsRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ImportEntity) private readonly imports: Repository<ImportEntity>,
    @InjectRepository(ImportTemplateEntity) private readonly templates: Repository<ImportTemplateEntity>,
  ) {}

  /** The import row and its file's pieces, in one transaction (an import never exists without its file). */
  async insertWithFile(entity: ImportEntity, pieces: AsyncIterable<Buffer>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(ImportEntity, entity);
      let seq = 0;
      for await (const data of pieces) {
        await manager.insert(ImportFileChunkEntity, {
          importId: entity.id,
          seq: seq++,
          workspaceId: entity.workspaceId,
          data,
        });
      }
    });
  }

  findById(workspaceId: string, id: string): Promise<ImportEntity | null> {
    return this.imports.findOneBy({ workspaceId, id });
  }

  /** Newest first, without the preview columns (history; the mapping says what it imports). */
  list(workspaceId: string, offset: number, limit: number): Promise<[ImportEntity[], number]> {
    return this.imports.findAndCount({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offset,
      take: limit,
      select: [
        'id',
        'workspaceId',
        'uploadedByKind',
        'uploadedById',
        'uploadedBy',
        'fileName',
        'sizeBytes',
        'format',
        'status',
        'sheet',
        'mapping',
        'createdAt',
        'updatedAt',
      ],
    });
  }

  async update(workspaceId: string, id: string, changes: Partial<ImportEntity>): Promise<void> {
    await this.imports.update({ workspaceId, id }, changes);
  }

  /** The stored file, one piece at a time (memory holds one piece, whatever the file's size). */
  async *fileOf(workspaceId: string, id: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const piece = await this.dataSource
        .getRepository(ImportFileChunkEntity)
        .findOne({ where: { workspaceId, importId: id, seq }, select: ['data'] });
      if (!piece) return;
      yield piece.data;
    }
  }

  /** Deletes the import and its file; false when there was none. */
  async delete(workspaceId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(ImportEntity, { workspaceId, id });
      if (!result.affected) return false;
      await manager.delete(ImportFileChunkEntity, { workspaceId, importId: id });
      // its run and per-row outcomes (src/imports/run)
      await manager.query('DELETE FROM import_rows WHERE import_id = ?', [id]);
      await manager.query('DELETE FROM import_runs WHERE import_id = ?', [id]);
      return true;
    });
  }

  listTemplates(workspaceId: string): Promise<ImportTemplateEntity[]> {
    return this.templates.find({ where: { workspaceId }, order: { name: 'ASC' }, take: 500 });
  }

  /** Inserts the template; false when the workspace has one of that name already. */
  async insertTemplate(template: ImportTemplateEntity): Promise<boolean> {
    if (await this.templates.existsBy({ workspaceId: template.workspaceId, name: template.name }))
      return false;
    try {
      await this.templates.insert(template);
      return true;
    } catch (error) {
      // a concurrent save of the same name
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') return false;
      throw error;
    }
  }
}
