import { Injectable } from '@nestjs/common';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';

/** Defender alerts (`/api/alerts`, and alerts related to a file, domain or IP). */
@Injectable()
export class AlertsRepository {
  constructor(private readonly client: DefenderHttpClient) {}

  /**
   * The cheapest read the relay's own permissions cover (Alert.Read.All): used by /health
   * instead of exposureScore, which needs Score.Read.All.
   */
  async probe(ctx: DefenderContext): Promise<void> {
    await this.client.request(ctx, { method: 'GET', path: 'alerts', query: { $top: 1 } });
  }
}
