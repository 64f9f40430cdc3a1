import { Envelope, Public, RelayError } from '@app/common';
import { Controller, Get, Headers } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

/** Liveness for Kubernetes probes and Cisco's load balancer; kept out of request logs. */
@ApiTags('service')
@Controller('watchdog')
export class WatchdogController {
  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness probe: echoes the Health-Check header (no authentication)' })
  @ApiHeader({ name: 'Health-Check', required: true, example: 'ok' })
  @ApiOkResponse({ schema: { example: { data: 'ok' } } })
  watchdog(@Headers('health-check') value: string | undefined): Envelope<string> {
    if (value === undefined) throw new RelayError('health check failed', 'Invalid Health Check');
    return { data: value };
  }
}
