import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AmocrmConnectionEntity } from '../amocrm/connection/amocrm-connection.entity';
import { amocrmAccountKey } from '../amocrm/connection/amocrm-domain';
import { AmocrmMetadataEntity } from '../amocrm/metadata/amocrm-metadata.entity';
import { AppConfig } from '../config/app-config';
import { readLaneUsage } from '../redis/lane-usage';
import { REDIS } from '../redis/redis.module';
import type { AmocrmRateDto, FunnelDto, FunnelPipelineDto } from './dashboard-stats.dto';

/** The amoCRM limiter's key prefix (see AmocrmRateLimiter). */
const AMOCRM_LIMIT_PREFIX = 'amocrm:limit';

/** Dashboard charts about amoCRM: leads by stage from the mirror, requests per second against the budget. */
@Injectable()
export class DashboardCrmService {
  constructor(
    private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Leads of the mirror (not deleted) by pipeline and stage, named and ordered from the cached metadata. */
  async funnel(workspaceId: string): Promise<FunnelDto> {
    const [rows, metadata] = await Promise.all([
      this.db.query<{ p: string | number; s: string | number; n: string | number }[]>(
        `SELECT pipeline_id AS p, status_id AS s, COUNT(*) AS n FROM leads
          WHERE workspace_id = ? AND deleted_at IS NULL AND pipeline_id IS NOT NULL AND status_id IS NOT NULL
          GROUP BY pipeline_id, status_id`,
        [workspaceId],
      ),
      this.db.getRepository(AmocrmMetadataEntity).findOne({ where: { workspaceId } }),
    ]);
    const counts = new Map(rows.map((row) => [`${Number(row.p)}:${Number(row.s)}`, Number(row.n)]));
    const pipelines: FunnelPipelineDto[] = [];
    const known = new Set<string>();
    const sorted = [...(metadata?.snapshot.pipelines ?? [])].sort((a, b) => a.sort - b.sort);
    for (const pipeline of sorted) {
      const stages = [...pipeline.statuses]
        .sort((a, b) => a.sort - b.sort)
        .map((status) => {
          known.add(`${pipeline.id}:${status.id}`);
          return { id: status.id, name: status.name, count: counts.get(`${pipeline.id}:${status.id}`) ?? 0 };
        });
      if (pipeline.isArchive && stages.every((stage) => stage.count === 0)) continue;
      pipelines.push({ id: pipeline.id, name: pipeline.name, stages });
    }
    // leads in a pipeline or stage the cached metadata does not know (yet): shown by number, never dropped
    for (const row of rows) {
      const key = `${Number(row.p)}:${Number(row.s)}`;
      if (known.has(key)) continue;
      let pipeline = pipelines.find((item) => item.id === Number(row.p));
      if (!pipeline) {
        pipeline = { id: Number(row.p), name: `#${Number(row.p)}`, stages: [] };
        pipelines.push(pipeline);
      }
      pipeline.stages.push({ id: Number(row.s), name: `#${Number(row.s)}`, count: Number(row.n) });
    }
    return { pipelines };
  }

  /** amoCRM requests granted per lane over the last hour, against the account's budget. */
  async amocrmRate(workspaceId: string, now = Date.now()): Promise<AmocrmRateDto> {
    const connection = await this.db
      .getRepository(AmocrmConnectionEntity)
      .findOne({ where: { workspaceId } });
    if (!connection || connection.status === 'not_connected' || !connection.baseUrl) {
      return { budget: this.config.amocrmRps, minutes: [] };
    }
    const key = amocrmAccountKey(connection.baseUrl);
    return {
      budget: this.config.amocrmRps,
      minutes: await readLaneUsage(this.redis, AMOCRM_LIMIT_PREFIX, key, now),
    };
  }
}
