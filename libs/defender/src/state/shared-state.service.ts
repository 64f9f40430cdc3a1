import { Injectable } from '@nestjs/common';
import { MemoryWindowStore, WindowStore } from '../limits/sliding-window';

/**
 * Where state shared by relay requests lives: rate-limit windows (and, with REDIS_URL, the token
 * and JWKS caches) — in memory by default.
 */
@Injectable()
export class SharedStateService {
  private readonly memoryWindows = new MemoryWindowStore();

  windowStore(): WindowStore {
    return this.memoryWindows;
  }
}
