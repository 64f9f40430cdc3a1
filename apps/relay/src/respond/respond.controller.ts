import { AuthCredentials, Credentials, Envelope, envelope, EXAMPLE_MACHINE_ID, EXAMPLE_TRIGGER, ObservableBatch, ObservableDto, ObservablesPipe, RESPOND_TYPES } from '@app/common';
import { ResponseAction } from '@app/ctim';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RespondService } from './respond.service';
import { Trigger, TriggerDto } from './trigger.dto';
import { TriggerPipe } from './trigger.pipe';

@ApiTags('relay')
@ApiBearerAuth()
@Controller('respond')
export class RespondController {
  constructor(private readonly service: RespondService) {}

  @Post('observables')
  @HttpCode(200)
  @ApiOperation({ summary: 'Response actions available for the observables (machine actions, also for the devices a hostname or internal IP resolves to; custom indicators; triage of their Defender alerts)' })
  @ApiBody({
    type: [ObservableDto],
    examples: {
      machine: { summary: 'A device of the demo tenant', value: [{ type: 'ms_machine_id', value: EXAMPLE_MACHINE_ID }] },
      hostname: { summary: 'The same device by its host name (actions carry its machine_id)', value: [{ type: 'hostname', value: 'fin-wks-017' }] },
    },
  })
  @ApiOkResponse({
    schema: {
      example: {
        data: [
          {
            id: 'microsoft-defender-FullIsolation',
            title: 'Isolate Device: Full',
            description: 'Isolate Device: Full',
            categories: ['Microsoft Defender for Endpoint', 'Machine Actions'],
            'query-params': { observable_type: 'ms_machine_id', observable_value: EXAMPLE_MACHINE_ID },
          },
        ],
      },
    },
  })
  async observables(@AuthCredentials() credentials: Credentials, @Body(ObservablesPipe(RESPOND_TYPES)) batch: ObservableBatch): Promise<Envelope<ResponseAction[]>> {
    const { actions, errors } = await this.service.list(credentials, batch.observables, batch.warnings);
    return envelope(actions, errors);
  }

  @Post('trigger')
  @HttpCode(200)
  @ApiOperation({ summary: 'Runs one response action once; Defender’s refusal is reported as a failure with its message' })
  @ApiBody({ type: TriggerDto, examples: { scan: { summary: 'Quick antivirus scan of a demo device', value: EXAMPLE_TRIGGER } } })
  @ApiOkResponse({ schema: { example: { data: { status: 'success' } } } })
  async trigger(@AuthCredentials() credentials: Credentials, @Body(TriggerPipe) trigger: Trigger): Promise<Envelope<{ status: 'success' | 'failure' }>> {
    const { status, errors } = await this.service.trigger(credentials, trigger);
    return envelope({ status }, errors);
  }
}
