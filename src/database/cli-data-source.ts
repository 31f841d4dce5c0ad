// Data source for the TypeORM CLI (`npm run migration:generate`); needs DATABASE_URL.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source.js';

const config = loadConfig(process.env);
if (!config.databaseUrl) throw new Error('migration:generate needs DATABASE_URL (the embedded database is started only by npm start)');
export default new DataSource(dataSourceOptions(config.databaseUrl, 2));
