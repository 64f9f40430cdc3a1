import { AuthCredentials, Credentials, Envelope, envelope, RelayError } from '@app/common';
import { AlertsRepository, DefenderContextFactory, HuntingBackend, HuntingRepository, permissionWarnings, PermissionsReport, PermissionsService } from '@app/defender';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

interface Health {
  status: 'ok';
  hunting: HuntingBackend | null;
  permissions: PermissionsReport;
}

const EXAMPLE: Health = {
  status: 'ok',
  hunting: 'graph',
  permissions: {
    tokens: { defender: 'read', graph: 'read' },
    capabilities: [
      { capability: 'observe.alerts', group: 'observe', label: 'alerts', state: 'works' },
      { capability: 'respond.isolate', group: 'respond', label: 'isolate / release', state: 'missing', grant: ['WindowsDefenderATP Machine.Isolate'] },
    ],
  },
};

/** Fails only when observe cannot work; the app's missing permissions (read from its tokens) come as warnings. */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('health')
export class HealthController {
  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly alerts: AlertsRepository,
    private readonly hunting: HuntingRepository,
    private readonly permissions: PermissionsService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Checks the credentials in the JWT against Azure AD and Defender, which hunting API they use and what their permissions allow' })
  @ApiOkResponse({ schema: { example: { data: EXAMPLE } } })
  async health(@AuthCredentials() credentials: Credentials): Promise<Envelope<Health>> {
    return this.contexts.run(credentials, async (ctx) => {
      const report = await this.permissions.report(credentials);
      try {
        await this.alerts.probe(ctx);
      } catch (error) {
        // Defender's refusal is the authority; the other missing permissions come with it.
        if (error instanceof RelayError && error.code === 'permission denied') return envelope<Health>(undefined, [error.toBody(), ...permissionWarnings(report).map((w) => w.toBody())]);
        throw error;
      }
      // Whatever the roles said, alerts were just read.
      const alerts = report.capabilities.find((c) => c.capability === 'observe.alerts');
      if (alerts) {
        alerts.state = 'works';
        delete alerts.grant;
      }
      const warnings = permissionWarnings(report);
      let hunting: HuntingBackend | null = null;
      try {
        hunting = await this.hunting.backend(ctx);
        const retiring = this.hunting.retirementWarning(hunting);
        if (retiring) warnings.push(retiring);
      } catch (error) {
        if (!(error instanceof RelayError && error.code === 'permission denied')) throw error;
        const known = report.capabilities.some((c) => c.capability === 'observe.hunting' && c.state === 'missing');
        if (!known) warnings.push(new RelayError(error.code, `Advanced hunting is disabled: ${error.message}`, { type: 'warning' }));
      }
      return envelope<Health>({ status: 'ok', hunting, permissions: report }, unique(warnings).map((w) => w.toBody()));
    });
  }
}

function unique(warnings: readonly RelayError[]): RelayError[] {
  return warnings.filter((w, i) => warnings.findIndex((o) => o.message === w.message) === i);
}
