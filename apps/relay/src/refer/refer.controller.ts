import { AuthCredentials, Credentials, Envelope, envelope, EXAMPLE_OBSERVABLES, EXAMPLE_PIVOT_OBSERVABLES, EXAMPLE_SHA1, ObservableBatch, ObservableDto, ObservablesPipe, REFER_TYPES } from '@app/common';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReferLink } from './refer-link.mapper';
import { ReferService } from './refer.service';

@ApiTags('relay')
@ApiBearerAuth()
@Controller('refer')
export class ReferController {
  constructor(private readonly service: ReferService) {}

  @Post('observables')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pivot links into the Defender portal; only host names are resolved through Defender (one link per device found)' })
  @ApiBody({ type: [ObservableDto], examples: { demo: { summary: 'The demo tenant’s observables (observables.json)', value: EXAMPLE_OBSERVABLES }, pivots: { summary: 'Device, user and URL pivots of the demo tenant', value: EXAMPLE_PIVOT_OBSERVABLES } } })
  @ApiOkResponse({
    schema: {
      example: {
        data: [
          {
            id: `ref-md-search-sha1-${EXAMPLE_SHA1}`,
            title: 'Search for this SHA1',
            description: 'Lookup this SHA1 on Microsoft Defender for Endpoint',
            url: `https://security.microsoft.com/file/${EXAMPLE_SHA1}?tid=<tenant>`,
            categories: ['Search', 'Microsoft Defender for Endpoint'],
          },
        ],
      },
    },
  })
  async refer(@AuthCredentials() credentials: Credentials, @Body(ObservablesPipe(REFER_TYPES)) batch: ObservableBatch): Promise<Envelope<ReferLink[]>> {
    const { links, errors } = await this.service.refer(credentials, batch.observables, batch.warnings);
    return envelope(links, errors);
  }
}
