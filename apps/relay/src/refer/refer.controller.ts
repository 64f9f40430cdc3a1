import { AuthCredentials, Credentials, defenderConfig, Envelope, envelope, EXAMPLE_OBSERVABLES, EXAMPLE_SHA1, ObservableBatch, ObservableDto, ObservablesPipe, REFER_TYPES } from '@app/common';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReferLink, referLink } from './refer-link.mapper';

@ApiTags('relay')
@ApiBearerAuth()
@Controller('refer')
export class ReferController {
  constructor(@Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>) {}

  @Post('observables')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pivot links into the Defender portal (no Defender call)' })
  @ApiBody({ type: [ObservableDto], examples: { demo: { summary: 'The demo tenant’s observables (observables.json)', value: EXAMPLE_OBSERVABLES } } })
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
  refer(@AuthCredentials() credentials: Credentials, @Body(ObservablesPipe(REFER_TYPES)) batch: ObservableBatch): Envelope<ReferLink[]> {
    const links = batch.observables.map((o) => referLink(o, this.config.portalUrl, credentials.tenantId));
    return envelope(links, batch.warnings);
  }
}
