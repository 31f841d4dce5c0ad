import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { Page } from '../kernel/pagination/pagination.js';
import { CreateShopDto, ListShopsQueryDto, ShopPageDto, ShopResponseDto, UpdateShopDto } from './dto.js';
import { ShopsService } from './shops.service.js';

@ApiTags('shops')
@ApiBearerAuth()
@Controller('api/v1/shops')
export class ShopsController {
  constructor(private readonly shops: ShopsService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Register a shop and its webhook secret (admin)' })
  @ApiCreatedResponse({ type: ShopResponseDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateShopDto): Promise<ShopResponseDto> {
    return this.shops.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The merchant\'s shops, filtered by platform' })
  @ApiOkResponse({ type: ShopPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListShopsQueryDto): Promise<Page<ShopResponseDto>> {
    return this.shops.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One shop with its webhook path, timezone and hours' })
  @ApiOkResponse({ type: ShopResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<ShopResponseDto> {
    return this.shops.get(caller, id);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Rename, rotate secrets, change timezone or hours (admin)' })
  @ApiOkResponse({ type: ShopResponseDto })
  update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: UpdateShopDto): Promise<ShopResponseDto> {
    return this.shops.update(caller, id, dto);
  }
}
