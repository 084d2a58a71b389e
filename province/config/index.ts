import { guizhou } from './guizhou.js';
import { hunan } from './hunan.js';
import { parseProvince, type Province, type ProvinceInput } from './schema.js';

export * from './schema.js';
export { generatedProvince } from './generated.js';

/** Every province this repository can deploy. Add a province: write its file, list it here. */
export const provinceInputs: Record<string, ProvinceInput> = { hunan, guizhou };

export function loadProvince(id: string): Province {
  const input = provinceInputs[id];
  if (!input) {
    throw new Error(`Unknown province "${id}". Known provinces: ${Object.keys(provinceInputs).join(', ')}`);
  }
  return parseProvince(input);
}

export function loadAllProvinces(): Province[] {
  return Object.keys(provinceInputs).map(loadProvince);
}
