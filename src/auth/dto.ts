import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { StaffResponseDto } from '../staff/dto.js';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'correct horse battery staple' }) @IsString() @MinLength(1) @MaxLength(200) password: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only needed when the same email and password open accounts in several merchants (answered 409 with their ids)',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ type: StaffResponseDto }) staff: StaffResponseDto;
}
