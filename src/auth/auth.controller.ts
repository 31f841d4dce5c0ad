import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../kernel/auth/decorators.js';
import { AuthService } from './auth.service.js';
import { LoginDto, LoginResponseDto } from './dto.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password' })
  @ApiErrors({
    409: 'The email and password open accounts in several merchants: send merchantId (details.merchants lists them)',
    429: 'Too many logins from this address, or too many failed ones for this account (Retry-After)',
  })
  login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(dto);
  }
}
