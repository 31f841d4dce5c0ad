import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Fields every action body may carry (SPEC §4). */
export class ActionBaseDto {
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(2_147_483_647)
  expectedVersion?: number;

  @ApiPropertyOptional({ description: 'Free note kept on the timeline', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}
