import { AuthCredentials, Credentials, Envelope } from '@app/common';
import { AlertsRepository, DefenderContextFactory } from '@app/defender';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

/**
 * Module health as XDR checks it (C-80): the JWT, an Azure AD token, and one cheap read covered
 * by the relay's own permissions. Any failure is the envelope naming the step that failed.
 */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('health')
export class HealthController {
  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly alerts: AlertsRepository,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Checks the credentials in the JWT against Azure AD and Defender' })
  @ApiOkResponse({ schema: { example: { data: { status: 'ok' } } } })
  async health(@AuthCredentials() credentials: Credentials): Promise<Envelope<{ status: 'ok' }>> {
    await this.contexts.run(credentials, (ctx) => this.alerts.probe(ctx));
    return { data: { status: 'ok' } };
  }
}
