import { type TableName, tables, BUS_ENV, type SettingName } from '../../province/wiring.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** The generated name of a table, from the environment the wiring declares. */
export const tableName = (table: TableName): string => required(tables[table].env);
export const busName = (): string => required(BUS_ENV);
export const setting = (name: SettingName): string => required(name);
