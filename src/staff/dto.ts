import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Role } from '../kernel/auth/roles.js';
import { PageQueryDto } from '../kernel/pagination/pagination.js';
import type { Staff } from './staff.entity.js';

export class CreateStaffDto {
  @ApiProperty({ example: 'agent1@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: '王小明' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ enum: Role }) @IsEnum(Role) role: Role;
  @ApiProperty({ minLength: 8, description: 'Stored as a scrypt hash' }) @IsString() @MinLength(8) @MaxLength(200) password: string;
}

export class UpdateStaffDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ enum: Role }) @IsOptional() @IsEnum(Role) role?: Role;
  @ApiPropertyOptional({ description: 'Deactivating revokes the member\'s tokens' }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
}

export class ListStaffQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Role }) @IsOptional() @IsEnum(Role) role?: Role;
}

export class StaffResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) merchantId: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class StaffPageDto {
  @ApiProperty({ type: [StaffResponseDto] }) items: StaffResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toStaffResponse(s: Staff): StaffResponseDto {
  return { id: s.id, merchantId: s.merchantId, email: s.email, name: s.name, role: s.role, active: s.active, createdAt: s.createdAt, updatedAt: s.updatedAt };
}
