import { AuthCredentials, Credentials, Envelope, envelope } from '@app/common';
import { AlertsRepository, DefenderContextFactory, HuntingBackend, HuntingRepository } from '@app/defender';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

interface Health {
  status: 'ok';
  /** The API this credential's advanced-hunting queries go to. */
  hunting: HuntingBackend;
}

/**
 * Module health as XDR checks it: the JWT, an Azure AD token, and one cheap read covered
 * by the relay's own permissions. Any failure is the envelope naming the step that failed. It
 * also says which hunting API the credential uses, with a warning when it is the retiring one.
 */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('health')
export class HealthController {
  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly alerts: AlertsRepository,
    private readonly hunting: HuntingRepository,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Checks the credentials in the JWT against Azure AD and Defender, and which hunting API they use' })
  @ApiOkResponse({ schema: { example: { data: { status: 'ok', hunting: 'graph' } } } })
  async health(@AuthCredentials() credentials: Credentials): Promise<Envelope<Health>> {
    const hunting = await this.contexts.run(credentials, async (ctx) => {
      await this.alerts.probe(ctx);
      return this.hunting.backend(ctx);
    });
    const warning = this.hunting.retirementWarning(hunting);
    return envelope<Health>({ status: 'ok', hunting }, warning ? [warning.toBody()] : []);
  }
}
