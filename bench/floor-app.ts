/**
 * The floor `npm run bench:cost` measures the relay against: a bare NestJS + Fastify app (the
 * relay's installed versions, the relay's node flags), one POST route answering FLOOR_BODY as
 * JSON. No guard, pipe, logging, metrics or headers: what the framework alone costs per request.
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

const BODY: unknown = JSON.parse(process.env.FLOOR_BODY ?? '{}');

@Controller()
class FloorController {
  @Post(process.env.FLOOR_ROUTE ?? 'refer/observables')
  @HttpCode(200)
  answer(): unknown {
    return BODY;
  }

  @Get('version')
  version(): unknown {
    return { version: 'floor' };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), { logger: ['error'] });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
  await app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
}

void main();
