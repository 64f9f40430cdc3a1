import { isObservableType, normaliseObservable, observableProblem, RelayError, validateDto } from '@app/common';
import { Injectable, PipeTransform } from '@nestjs/common';
import { Trigger, TriggerDto } from './trigger.dto';

/** Validates a trigger body and normalises its observable; a number-typed `indicator_id` is read as its string. */
@Injectable()
export class TriggerPipe implements PipeTransform<unknown, Trigger> {
  transform(body: unknown): Trigger {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RelayError('invalid payload', "Invalid JSON payload received: expected an object with 'action-id', 'observable_type' and 'observable_value'");
    }
    // Only the known fields are read, so nothing else in the body is ever walked.
    const raw = body as Record<string, unknown>;
    const indicatorId = typeof raw.indicator_id === 'number' && Number.isSafeInteger(raw.indicator_id) ? String(raw.indicator_id) : raw.indicator_id;
    const dto = validateDto(
      Object.assign(new TriggerDto(), {
        actionId: raw['action-id'],
        observable_type: raw.observable_type,
        observable_value: raw.observable_value,
        indicator_id: indicatorId,
        tag: raw.tag,
        machine_action_id: raw.machine_action_id,
        machine_id: raw.machine_id,
        triage: raw.triage,
        classification: raw.classification,
        determination: raw.determination,
        alert_ids: raw.alert_ids,
      }),
    );
    const observable = normaliseObservable(dto.observable_type, dto.observable_value);
    return {
      actionId: dto.actionId,
      observable,
      invalidValue: invalidValue(observable),
      indicatorId: dto.indicator_id,
      tag: dto.tag,
      machineActionId: dto.machine_action_id,
      machineId: dto.machine_id?.toLowerCase(),
      triage: dto.triage,
      classification: dto.classification,
      determination: dto.determination,
      alertIds: dto.alert_ids?.split(','),
    };
  }
}

function invalidValue({ type, value }: Trigger['observable']): string | undefined {
  const problem = isObservableType(type) ? observableProblem(type, value) : undefined;
  return problem && `Invalid JSON payload received: 'observable_value' is ${problem}`;
}
