import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString } from 'class-validator';
import { EXAMPLE_SHA1 } from './openapi-examples';

/** One observable as XDR sends it; `type` is matched case-insensitively. */
export class ObservableDto {
  @ApiProperty({ example: 'sha1', description: 'ip, ipv6, domain, url, sha1, sha256, md5, hostname, ms_machine_id, user, file_name, file_path, process_name, registry_key, mac_address, email (each route takes its own subset); others are ignored' })
  @IsString({ message: "'type' must be a non-empty string" })
  @IsNotEmpty({ message: "'type' must be a non-empty string" })
  type!: string;

  @ApiProperty({ example: EXAMPLE_SHA1 })
  @IsString({ message: "'value' must be a non-empty string" })
  @IsNotEmpty({ message: "'value' must be a non-empty string" })
  value!: string;
}
