import { bodyObject, validateBody } from '@app/common';
import { Injectable, PipeTransform } from '@nestjs/common';
import { TriggerDto } from './trigger.dto';

/** Validates a trigger body (C-70); a number-typed `indicator_id` is read as its string. */
@Injectable()
export class TriggerPipe implements PipeTransform<unknown, TriggerDto> {
  transform(body: unknown): TriggerDto {
    // Only the known fields are read, so nothing else in the body is ever walked.
    const raw = bodyObject(body, "an object with 'action-id', 'observable_type' and 'observable_value'");
    const indicatorId = typeof raw.indicator_id === 'number' && Number.isSafeInteger(raw.indicator_id) ? String(raw.indicator_id) : raw.indicator_id;
    const dto = Object.assign(new TriggerDto(), {
      actionId: raw['action-id'],
      observable_type: raw.observable_type,
      observable_value: raw.observable_value,
      indicator_id: indicatorId,
    });
    return validateBody(dto);
  }
}
