import { Public, RELAY_VERSION } from '@app/common';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('service')
@Controller('version')
export class VersionController {
  @Public()
  @Get()
  @ApiOperation({ summary: 'Relay version (no authentication)' })
  @ApiOkResponse({ schema: { example: { version: RELAY_VERSION } } })
  get(): { version: string } {
    return { version: RELAY_VERSION };
  }

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Relay version, as XDR calls it (no authentication)' })
  @ApiOkResponse({ schema: { example: { version: RELAY_VERSION } } })
  post(): { version: string } {
    return { version: RELAY_VERSION };
  }
}
