import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LptrackerLinkEntity } from './lptracker-link.entity';
import { LptrackerLinksRepository } from './lptracker-links.repository';
import { LptrackerLinksService } from './lptracker-links.service';

/** The link table LPTracker lead ⇄ amoCRM lead (one repository; the sync and the back-flow import this module). */
@Module({
  imports: [TypeOrmModule.forFeature([LptrackerLinkEntity])],
  providers: [LptrackerLinksRepository, LptrackerLinksService],
  exports: [LptrackerLinksService],
})
export class LptrackerLinksModule {}
