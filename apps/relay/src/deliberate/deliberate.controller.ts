import { AuthCredentials, Credentials, JUDGE_TYPES, Envelope, envelope, EXAMPLE_OBSERVABLES, ObservableBatch, ObservableDto, ObservablesPipe } from '@app/common';
import { Judgement, Verdict } from '@app/ctim';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliberateService } from './deliberate.service';

interface DeliberateData {
  verdicts?: { count: number; docs: Verdict[] };
  judgements?: { count: number; docs: Judgement[] };
}

@ApiTags('relay')
@ApiBearerAuth()
@Controller('deliberate')
export class DeliberateController {
  constructor(private readonly service: DeliberateService) {}

  @Post('observables')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verdicts and judgements from custom indicators and file determinations' })
  @ApiBody({ type: [ObservableDto], examples: { demo: { summary: 'The demo tenant’s observables (observables.json)', value: EXAMPLE_OBSERVABLES } } })
  @ApiOkResponse({ schema: { example: { data: { verdicts: { count: 1, docs: [{ type: 'verdict', disposition: 2, disposition_name: 'Malicious' }] } } } } })
  async deliberate(@AuthCredentials() credentials: Credentials, @Body(ObservablesPipe(JUDGE_TYPES)) batch: ObservableBatch): Promise<Envelope<DeliberateData>> {
    const { verdicts, judgements, errors } = await this.service.deliberate(credentials, batch.observables, batch.warnings);
    const data: DeliberateData =
      verdicts.length > 0 ? { verdicts: { count: verdicts.length, docs: verdicts }, judgements: { count: judgements.length, docs: judgements } } : {};
    return envelope(data, errors);
  }
}
