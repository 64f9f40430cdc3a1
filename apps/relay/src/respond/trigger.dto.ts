import { EXAMPLE_INDICATOR_ID, EXAMPLE_TRIGGER, isMachineId } from '@app/common';
import { TRIAGE_CHOICES } from '@app/ctim';
import { ALERT_CLASSIFICATIONS } from '@app/defender';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';

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
  @ValidateBy({ name: 'isMachineId', validator: { validate: isMachineId } }, { message: "'machine_id' must be the Defender machine id listed by /respond/observables (40 hexadecimal characters)" })
  machine_id?: string;

  @ApiPropertyOptional({ description: 'For microsoft-defender-triage-alerts: which triage, as listed by /respond/observables', enum: TRIAGE_CHOICES, example: 'resolve' })
  @IsOptional()
  @IsIn(TRIAGE_CHOICES, { message: `'triage' must be one of ${TRIAGE_CHOICES.join(', ')}` })
  triage?: string;

  @ApiPropertyOptional({ description: "For triage 'resolve': the classification", enum: ALERT_CLASSIFICATIONS, example: 'TruePositive' })
  @IsOptional()
  @IsIn(ALERT_CLASSIFICATIONS, { message: `'classification' must be one of ${ALERT_CLASSIFICATIONS.join(', ')}` })
  classification?: string;

  @ApiPropertyOptional({ description: "For triage 'resolve': a determination other than the default of the classification (docs/alert-triage.md)", example: 'Malware' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,40}$/, { message: "'determination' must be one of Defender's determination names, such as Malware or Clean" })
  determination?: string;

  @ApiPropertyOptional({ description: 'For microsoft-defender-triage-alerts: limits the triage to these alerts of the observable (comma-separated ids)', example: 'da638681844123456789_1364969609' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}(,[A-Za-z0-9_-]{1,100}){0,999}$/, { message: "'alert_ids' must be Defender alert ids separated by commas" })
  alert_ids?: string;
}

/** Ends every refusal made before anything reached Defender. */
export const NOTHING_SENT = 'nothing was sent to Microsoft Defender for Endpoint';

/** A trigger as `TriggerPipe` hands it on: fields checked, the observable normalised but not yet matched to the action. */
export interface Trigger {
  actionId: string;
  observable: { type: string; value: string };
  /** Why the value does not fit its (known) type; reported after the action's own checks, as a failed trigger. */
  invalidValue?: string;
  indicatorId?: string;
  tag?: string;
  machineActionId?: string;
  /** Lower-case; the device a machine action on a host name or IP acts on. */
  machineId?: string;
  triage?: string;
  classification?: string;
  determination?: string;
  alertIds?: string[];
}
