import { describe, expect, it } from 'vitest';
import { loadAllProvinces, loadProvince, parseProvince, provinceInputs } from '../../province/config/index.js';

describe('province configuration', () => {
  it('every shipped province validates, with defaults filled in', () => {
    const all = loadAllProvinces();
    expect(all.map((p) => p.id).sort()).toEqual(['guizhou', 'hunan']);
    const hunan = loadProvince('hunan');
    expect(hunan.sellerShareBps).toBe(8000);
    expect(hunan.counties.find((c) => c.id === 'chengbu')?.channels[0]).toMatchObject({ type: 'STANDARD', latencyMode: 'LOW' });
  });

  it('names the province, the field and what is allowed', () => {
    expect(() => parseProvince({ ...provinceInputs.hunan!, sellerShareBps: 7999 })).toThrow(
      /province "hunan"[\s\S]*sellerShareBps: must be at least 8000/,
    );
    expect(() => parseProvince({ ...provinceInputs.hunan!, sellerShareBps: 10001 })).toThrow(/sellerShareBps: must be at most 10000/);
    expect(() => parseProvince({ ...provinceInputs.hunan!, region: 'cn-north-1' })).toThrow(
      /province "hunan"[\s\S]*region: must be an IVS region: one of us-east-1, us-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, eu-central-1, eu-west-1/,
    );
    expect(() => parseProvince({ ...provinceInputs.guizhou!, counties: [] })).toThrow(/province "guizhou"[\s\S]*counties: a province needs at least one county/);
    expect(() =>
      parseProvince({ ...provinceInputs.guizhou!, counties: [{ id: 'a1', name: 'A', channels: [{ id: 'c1', name: 'x' }, { id: 'c1', name: 'y' }] }] }),
    ).toThrow(/counties\[0\]\.channels\[1\]\.id: duplicate channel id "c1"/);
  });

  it('refuses an unknown province by listing the known ones', () => {
    expect(() => loadProvince('atlantis')).toThrow('Unknown province "atlantis". Known provinces: hunan, guizhou');
  });
});
