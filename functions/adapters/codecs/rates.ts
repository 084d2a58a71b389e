/** The rates table's layout: one counter per storefront and second, removed by TTL. */
export const ratesTable = {
  counterKey: (storefrontId: string, second: number) => ({ pk: `${storefrontId}#${second}` }),
  /** TTL: a counter is useless a second later; DynamoDB removes it within a day or two. */
  expiresAt: (second: number) => second + 60,
};
