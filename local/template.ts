/** The province's CloudFormation template, synthesized in-process without bundling (what IAM is checked against offline). */
import { App } from 'aws-cdk-lib';
import { ProvinceStack } from '../lib/province-stack.js';
import type { Province } from '../province/config/index.js';

export function provinceTemplate(province: Province): Record<string, unknown> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ProvinceStack(app, `CountyLive-${province.id}`, { province, env: { region: province.region } });
  return app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>;
}
