import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../console/src/api.js';
import { en } from '../../console/src/i18n/en.js';
import { zhCN } from '../../console/src/i18n/zh-CN.js';
import { isoWeekOf, monthOf } from '../../console/src/period.js';
import { emptyReport, fetchCountyReport, fetchProvinceReport, fetchReportCsv, formatHours, type Report, shareOfPayouts } from '../../console/src/reports.js';

const report: Report = {
  scope: 'county', countyId: 'c-1', period: '2026-11', periodKind: 'month', from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z',
  showsHeld: 2, hoursLive: 3.5, ordersPaid: 10, gmvFen: 100_000, paidToSellersFen: 85_000, operationsFen: 15_000, sellers: 3, householdsReached: 7,
  toRegisteredHouseholdsFen: 30_000, toCertifiedProductsFen: 12_345, topProducts: [], updatedAt: '2026-11-29T12:00:00.000Z',
};

function fakeApi(respond: (request: Request) => Response) {
  const seen: Request[] = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    seen.push(input);
    return respond(input);
  });
  const onUnauthorized = vi.fn();
  const api = createApi({ baseUrl: 'https://province.example', token: async () => 'id-token', onUnauthorized });
  return { api, seen, onUnauthorized };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('console reports: calls', () => {
  it('reads a county report with the bearer token and the period', async () => {
    const { api, seen } = fakeApi(() => Response.json(report));
    expect(await fetchCountyReport(api, 'c-1', '2026-W48')).toEqual(report);
    const url = new URL(seen[0]!.url);
    expect(url.pathname).toBe('/reports/counties/c-1');
    expect(url.searchParams.get('period')).toBe('2026-W48');
    expect(seen[0]!.headers.get('Authorization')).toBe('Bearer id-token');
  });

  it('answers null for a period the API has no report for, and throws other failures', async () => {
    const { api } = fakeApi(() => Response.json({ error: { code: 'NOT_FOUND', message: 'none' } }, { status: 404 }));
    expect(await fetchProvinceReport(api, '2026-11')).toBeNull();
    const denied = fakeApi(() => Response.json({ error: { code: 'FORBIDDEN', message: 'no' } }, { status: 403 }));
    await expect(fetchProvinceReport(denied.api, '2026-11')).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('signs in again on a 401', async () => {
    const { api, onUnauthorized } = fakeApi(() => new Response('{}', { status: 401, headers: { 'content-type': 'application/json' } }));
    await expect(fetchCountyReport(api, 'c-1', '2026-11')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('downloads the CSV as a Blob from the county and province paths', async () => {
    const { api, seen } = fakeApi(() => new Response('\uFEFFcounty,gmv\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } }));
    const blob = await fetchReportCsv(api, { countyId: 'c 1' }, '2026-11');
    expect(await blob.text()).toContain('county,gmv');
    await fetchReportCsv(api, 'province', '2026-W53');
    expect(new URL(seen[0]!.url).pathname).toBe('/reports/counties/c%201/report.csv');
    expect(new URL(seen[1]!.url).pathname).toBe('/reports/province.csv');
    expect(new URL(seen[1]!.url).searchParams.get('period')).toBe('2026-W53');
    expect(seen[1]!.headers.get('Authorization')).toBe('Bearer id-token');
  });
});

describe('console reports: figures', () => {
  it('gives the parts of the payouts as exact percents to 0.01%', () => {
    expect(shareOfPayouts(30_000, 85_000)).toBe('35.29%');
    expect(shareOfPayouts(12_345, 85_000)).toBe('14.52%');
    expect(shareOfPayouts(1, 3)).toBe('33.33%');
    expect(shareOfPayouts(2, 3)).toBe('66.67%');
    expect(shareOfPayouts(85_000, 85_000)).toBe('100.00%');
    expect(shareOfPayouts(0, 0)).toBe('—');
    expect(shareOfPayouts(9_007_199_254_740_990, 9_007_199_254_740_991)).toBe('100.00%');
  });

  it('shows hours with one decimal and an empty period as zeros', () => {
    expect(formatHours(3.45, 'en')).toBe('3.5');
    expect(formatHours(0, 'zh-CN')).toBe('0.0');
    const empty = emptyReport('province', '2026-W48', 'week', { from: 'a', to: 'b' });
    expect(empty.gmvFen).toBe(0);
    expect(empty.counties).toEqual([]);
    expect(empty.countyId).toBeUndefined();
  });

  it('keys periods in China time whatever the browser zone', () => {
    const original = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(monthOf('2026-11-30T16:30:00Z')).toBe('2026-12');
        expect(isoWeekOf('2027-01-03T16:30:00Z')).toBe('2027-W01');
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it('has every report message in both languages', () => {
    const keys = Object.keys(zhCN).filter((k) => k.startsWith('report.') || k === 'nav.reports' || k === 'nav.provinceReport');
    expect(keys.length).toBeGreaterThan(40);
    for (const k of keys) expect((en as Record<string, string>)[k], k).toBeTruthy();
  });
});
