import { Test } from '@nestjs/testing';
import { ClockModule, CLOCK } from '@app/common/clock';
import { CountingIds, fixedClock, NOW, aFileProfile, aSightingContext, anAlert, uuidNo } from '../test-support/builders';
import { ActionMapper } from './action.mapper';
import { CtimModule } from './ctim.module';
import { IdGenerator } from './id.provider';
import { SightingMapper } from './sighting.mapper';
import { VerdictMapper } from './verdict.mapper';

describe('CtimModule', () => {
  const timeless = anAlert({ firstEventTime: null, alertCreationTime: null, lastUpdateTime: null });
  const malware = aFileProfile({ determinationType: 'Malware' });
  const file = { type: 'sha1', value: malware.sha1 as string };

  it('stamps what the mappers build with the injected clock and ids', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ClockModule.forRoot(), CtimModule] })
      .overrideProvider(CLOCK)
      .useValue(fixedClock())
      .overrideProvider(IdGenerator)
      .useValue(new CountingIds())
      .compile();
    const sighting = moduleRef.get(SightingMapper).fromAlert(timeless, aSightingContext());
    const judged = moduleRef.get(VerdictMapper).fromFileProfile(malware, file);

    expect(sighting.id).toBe(`transient:sighting-${uuidNo(1)}`);
    expect(sighting.observed_time).toEqual({ start_time: NOW, end_time: NOW });
    expect(judged?.judgement.id).toBe(`transient:judgement-${uuidNo(2)}`);
    expect(judged?.verdict).toMatchObject({ judgement_id: judged?.judgement.id, valid_time: { start_time: NOW } });
  });

  it('uses the wall clock and random ids by default', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ClockModule.forRoot(), CtimModule] }).compile();
    const mapper = moduleRef.get(SightingMapper);
    const before = Date.now();
    const [a, b] = [mapper.fromAlert(timeless, aSightingContext()), mapper.fromAlert(timeless, aSightingContext())];

    expect(a.id).toMatch(/^transient:sighting-[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(Date.parse(a.observed_time.start_time)).toBeGreaterThanOrEqual(before);
    expect(moduleRef.get(ActionMapper).forIndicator(file, [])).toHaveLength(3);
  });
});
