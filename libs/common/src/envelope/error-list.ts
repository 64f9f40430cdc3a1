import type { LoggerService } from '@nestjs/common';
import { internalError, RelayError, RelayErrorBody } from '../errors';

/** Each distinct error once, in order, so partial results are answered with what went wrong. */
export class ErrorList {
  private readonly items: RelayErrorBody[] = [];

  constructor(
    private readonly logger: Pick<LoggerService, 'error'>,
    initial: readonly RelayErrorBody[] = [],
  ) {
    initial.forEach((e) => this.push(e));
  }

  add(error: unknown): void {
    this.push(error instanceof RelayError ? error.toBody() : internalError(error, this.logger));
  }

  async capture<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.add(error);
      return fallback;
    }
  }

  get all(): RelayErrorBody[] {
    return [...this.items];
  }

  private push(error: RelayErrorBody): void {
    if (!this.items.some((e) => e.code === error.code && e.message === error.message && e.type === error.type)) this.items.push(error);
  }
}
