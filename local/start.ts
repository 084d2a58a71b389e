/**
 * npm start — the local province.
 *   npm start -- --province guizhou --port 3100 --data .local/db --clock-speed 60
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoCatalog } from './demo-data.js';
import { ensureConsoleBuilt } from './console.js';
import { ROOT } from './lambda.js';
import { generatedProvince } from '../province/config/index.js';
import { LocalProvinceError, startLocalProvince } from './province.js';

const { values } = parseArgs({
  options: {
    province: { type: 'string', default: 'hunan' },
    port: { type: 'string', default: '3000' },
    data: { type: 'string' },
    'clock-speed': { type: 'string', default: '1' },
    'no-seed': { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
    counties: { type: 'string' },
    'channels-per-county': { type: 'string', default: '3' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`npm start -- [--province hunan | --counties 122] [--port 3000] [--data .local/db] [--clock-speed 1] [--no-seed]

  --province      which province config to run (province/config)
  --counties      instead, a generated province of N counties (county-001…), as large as a real one
  --channels-per-county  channels of each generated county (default 3)
  --port          the API port (default 3000)
  --data          keep DynamoDB Local's data in this folder (default: in memory)
  --clock-speed   run time N× faster (grace periods, reservation timeouts, settlement cut-off, schedules)
  --no-seed       do not create the demo catalog
  --state-dir     where province.json, dead letters and reports go (default .local)`);
  process.exit(0);
}

const started = performance.now();
const stateDir = values['state-dir'] ? resolve(values['state-dir']) : join(ROOT, '.local');
try {
  const port = Number(values.port);
  const clockSpeed = Number(values['clock-speed']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalProvinceError(`--port must be a port number (got ${values.port})`);
  const counties = values.counties === undefined ? undefined : Number(values.counties);
  const perCounty = Number(values['channels-per-county']);
  if (counties !== undefined && !(Number.isInteger(counties) && counties >= 1 && counties <= 1000)) throw new LocalProvinceError(`--counties must be 1 to 1000 (got ${values.counties})`);
  if (!(Number.isInteger(perCounty) && perCounty >= 1 && perCounty <= 10)) throw new LocalProvinceError(`--channels-per-county must be 1 to 10 (got ${values['channels-per-county']})`);
  // the operators' console at /console/: built on the first start of a fresh clone
  await ensureConsoleBuilt((line) => console.error(`[local] ${line}`));
  const local = await startLocalProvince({
    provinceId: values.province,
    ...(counties ? { province: generatedProvince(counties, perCounty) } : {}),
    port,
    clockSpeed,
    dataPath: values.data ? resolve(values.data) : undefined,
    stateDir,
    log: (message, details) => console.error(`[local] ${message}`, details ? JSON.stringify(details) : ''),
  });

  // The demo catalog, once per database.
  const marker = values.data ? join(resolve(values.data), 'demo-catalog.json') : undefined;
  let catalog = marker && existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
  if (!catalog && !values['no-seed']) {
    catalog = await seedDemoCatalog(local.url, local.province.counties.map((c) => c.id), local.credentials.operators.admin!);
    if (marker) writeFileSync(marker, JSON.stringify(catalog, null, 2));
  }
  const statePath = join(stateDir, 'province.json');
  writeFileSync(statePath, JSON.stringify({ ...JSON.parse(readFileSync(statePath, 'utf8')), catalog: catalog ?? [] }, null, 2));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local province…`);
    await local.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP')); // the terminal closed
  // npm killed outright cannot pass a signal on: the province notices it was orphaned and stops
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent process gone');
  }, 1_000).unref();

  console.log(
    `Local province ${local.province.id} ready at ${local.url} in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      `(DynamoDB Local ${values.data ? `in ${values.data}` : 'in memory'}, clock ${clockSpeed}×, ` +
      `${local.channels.length > 6 ? `${local.province.counties.length} counties, ${local.channels.length} channels` : `channels ${local.channels.map((c) => c.channelId).join(', ')}`}). Ctrl-C to stop.`,
  );
  console.log(`County console (sign in as any operator): ${local.url}/console/`);
  console.log(`Credentials (operator tokens, a storefront API key): ${join(stateDir, 'credentials.json')}`);
} catch (error) {
  console.error(error instanceof LocalProvinceError || (error as Error).message?.includes('Java') ? (error as Error).message : error);
  process.exit(1);
}
