import { EXAMPLE_INDICATOR_ID, EXAMPLE_TRIGGER } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Length, Matches } from 'class-validator';

/** `POST /respond/trigger` body: the action and observable, plus the action's query-params as strings. */
export class TriggerDto {
  @ApiProperty({ name: 'action-id', example: EXAMPLE_TRIGGER['action-id'] })
  @IsString({ message: "'action-id' must be a non-empty string" })
  @IsNotEmpty({ message: "'action-id' must be a non-empty string" })
  actionId!: string;

  @ApiProperty({ example: 'ms_machine_id' })
  @IsString({ message: "'observable_type' must be a non-empty string" })
  @IsNotEmpty({ message: "'observable_type' must be a non-empty string" })
  observable_type!: string;

  @ApiProperty({ example: EXAMPLE_TRIGGER.observable_value })
  @IsString({ message: "'observable_value' must be a non-empty string" })
  @IsNotEmpty({ message: "'observable_value' must be a non-empty string" })
  observable_value!: string;

  @ApiPropertyOptional({ description: 'For microsoft-defender-remove-indicator: the id listed by /respond/observables', example: EXAMPLE_INDICATOR_ID })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: "'indicator_id' must be the indicator id listed by /respond/observables" })
  indicator_id?: string;

  @ApiPropertyOptional({ description: 'For microsoft-defender-add-tag / remove-tag: one of the configured DEVICE_TAGS', example: 'XDR-Contained' })
  @IsOptional()
  @IsString({ message: "'tag' must be one of the tags listed by /respond/observables" })
  @Length(1, 200, { message: "'tag' must be one of the tags listed by /respond/observables" })
  tag?: string;

  @ApiPropertyOptional({ description: 'For microsoft-defender-cancel-machine-action: the id listed by /respond/observables', example: '8af71966-4671-4734-a777-a855875c0ec4' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: "'machine_action_id' must be the machine action id listed by /respond/observables" })
  machine_action_id?: string;

  @ApiPropertyOptional({ description: 'For a machine action on a hostname, mac_address, ip or ipv6: the device id listed by /respond/observables', example: EXAMPLE_TRIGGER.observable_value })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{40}$/, { message: "'machine_id' must be the Defender machine id listed by /respond/observables (40 hexadecimal characters)" })
  machine_id?: string;
}

/** A trigger as `TriggerPipe` hands it on: fields checked, the observable normalised but not yet matched to the action. */
export interface Trigger {
  actionId: string;
  observable: { type: string; value: string };
  indicatorId?: string;
  tag?: string;
  machineActionId?: string;
  /** Lower-case; the device a machine action on a host name or IP acts on. */
  machineId?: string;
}
