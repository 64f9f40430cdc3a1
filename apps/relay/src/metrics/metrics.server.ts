import { MetricsService, serverConfig } from '@app/common';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createServer, Server } from 'node:http';
import { SECURITY_HEADERS } from '../http-transport';
import { listenError } from '../startup';

// Never on the public port, so it cannot be exposed to the internet by accident.
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(serverConfig.KEY) private readonly config: ConfigType<typeof serverConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'application/json' }).end('{"statusCode":404,"message":"Not Found"}');
        return;
      }
      this.metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': this.metrics.registry.contentType }).end(text))
        .catch(() => res.writeHead(500, SECURITY_HEADERS).end());
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject).listen(this.config.metricsPort, this.config.metricsHost, resolve);
    }).catch((error: unknown) => {
      throw listenError(error, 'METRICS_PORT', this.config.metricsPort, this.config.metricsHost) ?? error;
    });
    this.logger.debug(`Prometheus metrics on http://${this.config.metricsHost}:${this.port}/metrics`);
  }

  get port(): number | undefined {
    return this.address?.port;
  }

  get host(): string | undefined {
    return this.address?.address;
  }

  private get address() {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
