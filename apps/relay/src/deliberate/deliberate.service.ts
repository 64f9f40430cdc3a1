import { Credentials, ErrorList, HASH_TYPES, Observable, RelayErrorBody } from '@app/common';
import { Judgement, Verdict, VerdictAndJudgement, VerdictMapper } from '@app/ctim';
import { DefenderContext, DefenderContextFactory, FilesRepository, IndicatorsRepository } from '@app/defender';
import { Injectable, Logger } from '@nestjs/common';

export interface DeliberateResult {
  verdicts: Verdict[];
  judgements: Judgement[];
  errors: RelayErrorBody[];
}

@Injectable()
export class DeliberateService {
  private readonly logger = new Logger(DeliberateService.name);

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly indicators: IndicatorsRepository,
    private readonly files: FilesRepository,
    private readonly verdicts: VerdictMapper,
  ) {}

  deliberate(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[]): Promise<DeliberateResult> {
    const errors = new ErrorList(this.logger, warnings);
    return this.contexts.run(credentials, async (ctx) => {
      const found = await Promise.all(observables.map((o) => this.judge(ctx, o, errors)));
      const all = found.flat();
      return { verdicts: this.verdicts.perObservable(all), judgements: all.map((f) => f.judgement), errors: errors.all };
    });
  }

  private async judge(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<VerdictAndJudgement[]> {
    const [fromIndicators, fromProfile] = await Promise.all([
      errors.capture(() => this.fromIndicators(ctx, observable), []),
      HASH_TYPES.includes(observable.type) ? errors.capture(() => this.fromProfile(ctx, observable), []) : [],
    ]);
    return [...fromIndicators, ...fromProfile];
  }

  private async fromIndicators(ctx: DefenderContext, observable: Observable): Promise<VerdictAndJudgement[]> {
    const indicators = await this.indicators.forObservable(ctx, observable);
    return indicators
      .map((i) => this.verdicts.fromIndicator(i, observable))
      .filter((v): v is VerdictAndJudgement => v !== undefined);
  }

  private async fromProfile(ctx: DefenderContext, observable: Observable): Promise<VerdictAndJudgement[]> {
    const profile = await this.files.profile(ctx, observable.value);
    const judged = profile ? this.verdicts.fromFileProfile(profile, observable) : undefined;
    return judged ? [judged] : [];
  }
}
