/**
 * The CDK app: one stack per province.
 *   npx cdk synth -c province=hunan   one province
 *   npx cdk synth                     every province
 */
import { App } from 'aws-cdk-lib';
import { loadAllProvinces, loadProvince } from '../province/config/index.js';
import { checkWithNag } from '../lib/nag.js';
import { ProvinceStack } from '../lib/province-stack.js';

const app = new App();
const chosen = app.node.tryGetContext('province') as string | undefined;

try {
  const provinces = chosen ? [loadProvince(chosen)] : loadAllProvinces();
  for (const province of provinces) {
    new ProvinceStack(app, `CountyLive-${province.id}`, {
      province,
      env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: province.region },
      description: `County-head livestream commerce, province ${province.name}`,
      tags: { province: province.id, system: 'county-live-commerce' },
    });
  }
  checkWithNag(app);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
