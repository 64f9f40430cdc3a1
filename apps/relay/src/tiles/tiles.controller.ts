import { AuthCredentials, Credentials, Envelope, envelope } from '@app/common';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TileDefinition, tileById, TILES } from './tile-catalog';
import { TileDataRequestDto, TileRequestDto } from './tile.dto';
import { TileDataRequestPipe, TileRequestPipe } from './tile.pipe';
import { TileData, TilesService } from './tiles.service';

/** One "Try it out" body per tile; the demo tenant has data for each. */
const TILE_DATA_EXAMPLES = {
  summary: { summary: 'Alerts by severity, last 24 hours', value: { tile_id: 'alerts-summary', period: 'last_24_hours' } },
  overTime: { summary: 'Alerts per day, last 7 days', value: { tile_id: 'alerts-over-time', period: 'last_7_days' } },
  devices: { summary: 'Devices with most alerts, last 30 days', value: { tile_id: 'top-alerted-devices', period: 'last_30_days' } },
  sources: { summary: 'Alerts by detection source, last 7 days', value: { tile_id: 'alerts-by-detection-source', period: 'last_7_days' } },
  posture: { summary: 'Device posture now', value: { tile_id: 'device-posture', period: 'last_24_hours' } },
  activity: { summary: 'Response activity, last hour', value: { tile_id: 'response-activity', period: 'last_hour' } },
};

const METRIC_EXAMPLE = {
  data: {
    valid_time: { start_time: '2026-11-25T12:00:00.000Z', end_time: '2026-11-25T12:01:00.000Z' },
    observed_time: { start_time: '2026-11-24T12:00:00.000Z', end_time: '2026-11-25T12:00:00.000Z' },
    cache_scope: 'org',
    data: [{ label: 'High', value: 3, 'value-unit': 'integer', icon: 'critical-stop', link_uri: 'https://security.microsoft.com/alerts?tid=<tenant>' }],
  },
};

@ApiTags('relay')
@ApiBearerAuth()
@Controller('tiles')
export class TilesController {
  constructor(private readonly service: TilesService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'The dashboard tiles this module offers (no Defender call)' })
  @ApiOkResponse({ schema: { example: { data: [tileById('alerts-summary')] } } })
  list(): Envelope<TileDefinition[]> {
    return envelope([...TILES]);
  }

  @Post('tile')
  @HttpCode(200)
  @ApiOperation({ summary: 'One tile by its id (no Defender call); an unknown id is an invalid request' })
  @ApiBody({ type: TileRequestDto, examples: { summary: { summary: 'The alerts summary tile', value: { tile_id: 'alerts-summary' } } } })
  @ApiOkResponse({ schema: { example: { data: tileById('alerts-summary') } } })
  tile(@Body(TileRequestPipe) dto: TileRequestDto): Envelope<TileDefinition> {
    return envelope(tileById(dto.tile_id));
  }

  @Post('tile-data')
  @HttpCode(200)
  @ApiOperation({
    summary: "A tile's figures for a period",
    description:
      'Read from Defender at most once per TILES_CACHE_TTL_MS for each credential (the four alert tiles of a period share one read of its alerts). ' +
      'An unknown tile or period is an invalid request; a read that stopped part-way answers its figures with the error beside them.',
  })
  @ApiBody({ type: TileDataRequestDto, examples: TILE_DATA_EXAMPLES })
  @ApiOkResponse({ schema: { example: METRIC_EXAMPLE } })
  async tileData(@AuthCredentials() credentials: Credentials, @Body(TileDataRequestPipe) dto: TileDataRequestDto): Promise<Envelope<TileData>> {
    const { data, errors } = await this.service.tileData(credentials, dto.tile_id, dto.period);
    return envelope(data, errors);
  }
}
