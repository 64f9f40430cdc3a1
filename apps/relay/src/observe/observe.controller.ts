import {
  AuthCredentials,
  Credentials,
  OBSERVE_TYPES,
  Envelope,
  envelope,
  EXAMPLE_MORE_OBSERVABLES,
  EXAMPLE_OBSERVABLES,
  EXAMPLE_PIVOT_OBSERVABLES,
  ObservableBatch,
  ObservableDto,
  ObservablesPipe,
} from '@app/common';
import { Sighting } from '@app/ctim';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ObserveService } from './observe.service';

interface ObserveData {
  sightings?: { count: number; docs: Sighting[] };
}

@ApiTags('relay')
@ApiBearerAuth()
@Controller('observe')
export class ObserveController {
  constructor(private readonly service: ObserveService) {}

  @Post('observables')
  @HttpCode(200)
  @ApiOperation({
    summary: 'CTIM sightings from Defender alerts, advanced hunting and prevalence statistics',
    description: `Types: ${OBSERVE_TYPES.join(', ')}. Partial results come with the errors that stopped the rest.`,
  })
  @ApiBody({
    type: [ObservableDto],
    examples: {
      demo: { summary: 'The demo tenant’s four observables', value: EXAMPLE_OBSERVABLES },
      pivots: { summary: 'Device, user and URL pivots of the demo tenant', value: EXAMPLE_PIVOT_OBSERVABLES },
      more: { summary: 'File names and paths, a process, a registry key, a MAC, an email address, an MD5 and an IPv6 of the demo tenant', value: EXAMPLE_MORE_OBSERVABLES },
    },
  })
  @ApiOkResponse({ schema: { example: { data: { sightings: { count: 1, docs: [{ type: 'sighting', id: 'transient:sighting-…', count: 2 }] } } } } })
  async observe(@AuthCredentials() credentials: Credentials, @Body(ObservablesPipe(OBSERVE_TYPES)) batch: ObservableBatch): Promise<Envelope<ObserveData>> {
    const { sightings, errors } = await this.service.observe(credentials, batch.observables, batch.warnings);
    const data: ObserveData = sightings.length > 0 ? { sightings: { count: sightings.length, docs: sightings } } : {};
    return envelope(data, errors);
  }
}
