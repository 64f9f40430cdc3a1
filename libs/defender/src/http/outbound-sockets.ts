import { HttpService } from '@nestjs/axios';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Agent } from 'node:http';

/** Closes the keep-alive sockets to Microsoft when the relay shuts down. */
@Injectable()
export class OutboundSockets implements OnApplicationShutdown {
  constructor(private readonly http: HttpService) {}

  onApplicationShutdown(): void {
    const defaults = this.http.axiosRef.defaults as { httpAgent?: Agent; httpsAgent?: Agent };
    defaults.httpAgent?.destroy();
    defaults.httpsAgent?.destroy();
  }
}
