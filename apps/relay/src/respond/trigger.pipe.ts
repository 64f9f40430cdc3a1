import { RelayError } from '@app/common';
import { Injectable, PipeTransform } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { TriggerDto } from './trigger.dto';

/** Validates a trigger body (C-70); a number-typed `indicator_id` is read as its string. */
@Injectable()
export class TriggerPipe implements PipeTransform<unknown, TriggerDto> {
  transform(body: unknown): TriggerDto {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RelayError('invalid payload', "Invalid JSON payload received: expected an object with 'action-id', 'observable_type' and 'observable_value'");
    }
    // Only the known fields are read, so nothing else in the body is ever walked.
    const raw = body as Record<string, unknown>;
    const indicatorId = typeof raw.indicator_id === 'number' && Number.isSafeInteger(raw.indicator_id) ? String(raw.indicator_id) : raw.indicator_id;
    const dto = Object.assign(new TriggerDto(), {
      actionId: raw['action-id'],
      observable_type: raw.observable_type,
      observable_value: raw.observable_value,
      indicator_id: indicatorId,
    });
    const [error] = validateSync(dto, { stopAtFirstError: true });
    if (error) {
      const message = Object.values(error.constraints ?? {})[0] ?? `'${error.property}' is invalid`;
      throw new RelayError('invalid payload', `Invalid JSON payload received: ${message}`);
    }
    return dto;
  }
}
