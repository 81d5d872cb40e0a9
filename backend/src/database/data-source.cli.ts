import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '../config/process-env';
import { dataSourceOptions } from './data-source-options';

/** Used by the TypeORM CLI (`npm run migration:generate -w backend -- src/database/migrations/Name`). */
export default new DataSource(dataSourceOptions(loadConfigFromProcess().db));
