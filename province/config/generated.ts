import { parseProvince, type Province } from './schema.js';

/**
 * A generated province as large as a real one (Hunan has 122 county-level divisions, Guizhou
 * 88), for the limits test and `npm start -- --counties N`: counties `county-001`…, each with
 * `channelsPerCounty` channels `county-001-a`….
 */
export function generatedProvince(counties: number, channelsPerCounty = 3, id = 'generated'): Province {
  return parseProvince({
    id,
    name: `Generated province (${counties} counties × ${channelsPerCounty} channels)`,
    region: 'ap-northeast-1',
    wechatPay: { appId: 'wx0123456789abcdef', mchId: '1900000199' },
    counties: Array.from({ length: counties }, (_, i) => {
      const county = `county-${String(i + 1).padStart(3, '0')}`;
      return {
        id: county,
        name: `County ${i + 1}`,
        channels: Array.from({ length: channelsPerCounty }, (_, j) => ({ id: `${county}-${String.fromCharCode(97 + j)}`, name: `${county} live room ${j + 1}` })),
      };
    }),
  });
}
