import { Module } from '@nestjs/common';
import { ReferController } from './refer.controller';

@Module({ controllers: [ReferController] })
export class ReferModule {}
