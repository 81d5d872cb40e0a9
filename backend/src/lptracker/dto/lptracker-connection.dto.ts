import { ApiProperty } from '@nestjs/swagger';
import type { LptrackerConnectionState } from '../connection/lptracker-connections.service';
import type { LptrackerVisibleProject } from '../connection/lptracker-projects.service';

const STATUSES = ['connected', 'needs_reauth', 'not_connected'] as const;

export class LptrackerProjectRefDto {
  @ApiProperty({ example: 101 })
  id!: number;

  @ApiProperty({ example: 'Сайт' })
  name!: string;
}

/** The workspace's LPTracker connection as the console shows it; the password and token never leave the server. */
export class LptrackerConnectionDto {
  @ApiProperty({ description: 'Whether calls to LPTracker can be made with the stored login' })
  connected!: boolean;

  @ApiProperty({
    enum: STATUSES,
    description: '`needs_reauth`: LPTracker refused the stored password: reconnect',
  })
  status!: (typeof STATUSES)[number];

  @ApiProperty({ type: String, nullable: true, example: 'sales@example.ru' })
  login!: string | null;

  @ApiProperty({ type: [LptrackerProjectRefDto], description: 'The enabled projects' })
  projects!: LptrackerProjectRefDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The last problem with this connection, in English',
  })
  lastError!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When LPTracker last answered',
  })
  lastOkAt!: string | null;

  static from({ connection, projects }: LptrackerConnectionState): LptrackerConnectionDto {
    const status = connection?.status ?? 'not_connected';
    return {
      connected: status === 'connected',
      status,
      login: connection && status !== 'not_connected' ? connection.login : null,
      projects: projects.map((project) => ({ id: project.projectId, name: project.name })),
      lastError: connection?.lastError ?? null,
      lastOkAt: connection?.lastOkAt?.toISOString() ?? null,
    };
  }
}

export class LptrackerVisibleProjectDto {
  @ApiProperty({ example: 101 })
  id!: number;

  @ApiProperty({ example: 'Сайт' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'site.example.ru' })
  domain!: string | null;

  @ApiProperty({ description: 'Whether this workspace works with the project' })
  enabled!: boolean;

  static from(project: LptrackerVisibleProject): LptrackerVisibleProjectDto {
    return { id: project.id, name: project.name, domain: project.domain, enabled: project.enabled };
  }
}

export class LptrackerProjectsDto {
  @ApiProperty({ type: [LptrackerVisibleProjectDto], description: 'Every project the login sees' })
  items!: LptrackerVisibleProjectDto[];
}
