/**
 * Benchmark baseline: a bare NestJS app (Express, no guards, no logging, no database) with one route that
 * reads the raw body and answers 200, on the port in PORT. Measures what HTTP + Nest alone cost on this machine.
 */
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request } from 'express';

@Controller('webhooks')
class BareController {
  @Post(':source/:secret')
  @HttpCode(200)
  receive(@Req() req: Request): { id: string; status: string } {
    return { id: String((req.body as Buffer).length), status: 'accepted' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, {
    bodyParser: false,
    logger: false,
  });
  app.use(express.raw({ limit: '1mb', type: () => true }));
  await app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
  process.stdout.write('listening\n');
}

void main();
