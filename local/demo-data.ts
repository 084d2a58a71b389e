/**
 * Demo catalog: Chengbu Miao Autonomous County (Hunan) — cooperatives, enterprises and a farmer
 * family selling navel oranges, Miao embroidery, tea oil and smoked pork. Prices in fen.
 * Created through the operator API, like a county official would.
 */
export interface DemoProduct { name: string; unit: string; priceFen: number; stock: number; povertyAlleviation?: { certified: boolean; certificateNo?: string } }
import { createHash } from 'node:crypto';

/** What officials count: a farmer's registered-poor household (建档立卡/脱贫户), or how many such households a cooperative or enterprise brings along. */
export interface DemoSeller { name: string; kind: 'farmer' | 'cooperative' | 'enterprise'; countyId: string; household?: { registeredPoor: boolean }; householdsBroughtAlong?: number; products: DemoProduct[] }

export const DEMO_SELLERS: DemoSeller[] = [
  {
    name: '城步苗乡脐橙专业合作社 Chengbu Navel Orange Cooperative',
    kind: 'cooperative',
    householdsBroughtAlong: 46,
    countyId: 'chengbu',
    products: [
      { name: '城步脐橙 Navel oranges, 5 kg box', unit: 'box', priceFen: 3990, stock: 3000, povertyAlleviation: { certified: true, certificateNo: 'FP-HN-2026-0381' } },
      { name: '城步脐橙礼盒 Navel oranges gift box, 10 kg', unit: 'box', priceFen: 7990, stock: 800 },
    ],
  },
  {
    name: '城步苗绣文化有限公司 Chengbu Miao Embroidery Co.',
    kind: 'enterprise',
    householdsBroughtAlong: 18,
    countyId: 'chengbu',
    products: [
      { name: '苗绣围巾 Miao embroidered scarf', unit: 'piece', priceFen: 18800, stock: 300 },
      { name: '苗绣手工挎包 Miao embroidered shoulder bag', unit: 'piece', priceFen: 26800, stock: 120 },
    ],
  },
  {
    name: '南山野茶油合作社 Nanshan Wild Tea Oil Cooperative',
    kind: 'cooperative',
    countyId: 'chengbu',
    products: [{ name: '野山茶油 Cold-pressed wild tea oil, 1 L', unit: 'bottle', priceFen: 12800, stock: 600 }],
  },
  {
    name: '杨家腊肉 The Yang family (smoked pork)',
    kind: 'farmer',
    household: { registeredPoor: true },
    countyId: 'chengbu',
    products: [{ name: '城步腊肉 Chengbu smoked pork, 500 g', unit: 'pack', priceFen: 6800, stock: 400, povertyAlleviation: { certified: true, certificateNo: 'FP-HN-2026-0412' } }],
  },
  {
    name: '新晃黄牛肉合作社 Xinhuang Yellow Cattle Cooperative',
    kind: 'cooperative',
    countyId: 'xinhuang',
    products: [{ name: '新晃黄牛肉干 Xinhuang beef jerky, 250 g', unit: 'bag', priceFen: 5900, stock: 1000 }],
  },
];

export interface SeededProduct { productId: string; sellerId: string; countyId: string; name: string; priceFen: number; stock: number }

async function post(url: string, body: unknown, token: string): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Made-up payee details for a demo seller: a farmer's WeChat openid and name, a cooperative's or enterprise's bank account. */
function demoPayee(seller: DemoSeller, n: number) {
  const digits = createHash('sha256').update(`${seller.countyId}:${seller.name}`).digest('hex').replace(/[a-f]/g, '').padEnd(12, '7').slice(0, 12);
  if (seller.kind === 'farmer') return { kind: 'wechat', openid: `oDemo${digits}${n}`, realName: seller.name.split(' ')[0]!.slice(0, 10) };
  return { kind: 'bank', accountName: seller.name.split(' ')[0]!, accountNumber: `622848${digits}1`, bank: '中国农业银行 Agricultural Bank of China', branch: `${seller.countyId} 支行` };
}

/** A county with no demo sellers of its own (a generated province's) gets a cooperative selling two staples. */
const genericSeller = (countyId: string): DemoSeller => ({
  name: `${countyId} 农产品专业合作社 Farm Produce Cooperative`,
  kind: 'cooperative',
  countyId,
  products: [
    { name: '高山大米 Mountain rice, 5 kg', unit: 'bag', priceFen: 6990, stock: 2000 },
    { name: '土蜂蜜 Wild honey, 500 g', unit: 'jar', priceFen: 5800, stock: 800 },
  ],
});

/** Creates the demo catalog through the API, as a province admin; returns the products created. */
export async function seedDemoCatalog(apiUrl: string, countyIds: readonly string[], adminToken: string): Promise<SeededProduct[]> {
  const products: SeededProduct[] = [];
  const sellers = countyIds.flatMap((countyId) => {
    const own = DEMO_SELLERS.filter((s) => s.countyId === countyId);
    return own.length ? own : [genericSeller(countyId)];
  });
  // a few sellers at a time (a generated province has a hundred counties), products in seller order
  for (let i = 0; i < sellers.length; i += 8) {
    const batch = await Promise.all(sellers.slice(i, i + 8).map(async (seller) => {
      const facts = { ...(seller.household ? { household: seller.household } : {}), ...(seller.householdsBroughtAlong !== undefined ? { householdsBroughtAlong: seller.householdsBroughtAlong } : {}) };
      const { sellerId } = await post(`${apiUrl}/sellers`, { countyId: seller.countyId, name: seller.name, kind: seller.kind, ...facts, payee: demoPayee(seller, i) }, adminToken);
      const own: SeededProduct[] = [];
      for (const p of seller.products) {
        const created = await post(`${apiUrl}/products`, { sellerId, ...p }, adminToken);
        own.push({ productId: created.productId, sellerId, countyId: seller.countyId, name: p.name, priceFen: p.priceFen, stock: p.stock });
      }
      return own;
    }));
    products.push(...batch.flat());
  }
  return products;
}
