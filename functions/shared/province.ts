import { loadProvince, type Province } from '../../lib/provinces/index.js';
import { setting } from './env.js';

let cached: Province | undefined;

/** This deployment's province config (validated), chosen by PROVINCE_ID. */
export function province(): Province {
  cached ??= loadProvince(setting('PROVINCE_ID'));
  return cached;
}
