import { DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_URL } from './database.tokens.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: DATABASE_URL, useValue: url }], exports: [DATABASE_URL] };
  }
}
