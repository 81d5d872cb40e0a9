import { Module } from '@nestjs/common';
import { DashboardChecklistService } from './dashboard-checklist.service';
import { DashboardCrmService } from './dashboard-crm.service';
import { DashboardStatsController } from './dashboard-stats.controller';
import { DashboardStatsService } from './dashboard-stats.service';

@Module({
  controllers: [DashboardStatsController],
  providers: [DashboardStatsService, DashboardCrmService, DashboardChecklistService],
})
export class DashboardStatsModule {}
