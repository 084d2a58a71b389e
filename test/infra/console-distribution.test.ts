/**
 * The county console deployed with the province: a private bucket read only by its CloudFront
 * distribution (origin access control), the SPA fallback (the CloudFront Function's own code, run
 * here against sample requests), HTTPS only, security headers and a CSP naming exactly the
 * console's origins, the API on the same origin, config.json written at deploy time, and the
 * operators' app client sent back to the distribution.
 */
import { App, NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VIEWER_REQUEST_FUNCTION } from '../../lib/constructs/province-console.js';
import { checkWithNag } from '../../lib/nag.js';
import { ProvinceStack } from '../../lib/province-stack.js';
import { loadProvince, parseProvince, type Province, provinceInputs } from '../../province/config/index.js';

type Json = any;
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const operatorConsole = { callbackUrls: ['https://console.hunan.example/console/callback'], logoutUrls: ['https://console.hunan.example/console/'], domainPrefix: 'county-live-hunan' };

function synth(province: Province, consoleDist?: string) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ProvinceStack(app, `CountyLive-${province.id}`, { province, env: { region: province.region }, ...(consoleDist ? { consoleDist } : {}) });
  checkWithNag(app);
  const assembly = app.synth(); // cdk-nag runs here: any unacknowledged finding throws
  const api = stack.node.findChild('Api') as NestedStack;
  const console = api.node.findChild('Console') as NestedStack;
  return { app, assembly, stack, api, console, parent: Template.fromStack(stack), apiT: Template.fromStack(api), consoleT: Template.fromStack(console) };
}
const resourcesOf = (t: Template, type: string): [string, Json][] => Object.entries<Json>(t.toJSON().Resources).filter(([, r]) => r.Type === type);
const only = (t: Template, type: string): [string, Json] => {
  const found = resourcesOf(t, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
/** A CloudFormation string as text, references shown as {Ref} / {Id.Attr}. */
const text = (v: Json): string => {
  if (typeof v === 'string') return v;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as Json[]).map(text).join(v['Fn::Join'][0]);
  if (v?.Ref) return `{${v.Ref}}`;
  if (v?.['Fn::GetAtt']) return `{${v['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(v);
};

let s: ReturnType<typeof synth>;
let distribution: Json;
let distributionId: string;

beforeAll(() => {
  s = synth(parseProvince({ ...provinceInputs.hunan!, operatorConsole }));
  [distributionId, distribution] = only(s.consoleT, 'AWS::CloudFront::Distribution');
  distribution = distribution.Properties.DistributionConfig;
}, 300_000);

describe('the county console, deployed with the province', () => {
  it('a private bucket: public access blocked, SSL only, encrypted, retained', () => {
    const [bucketId, bucket] = resourcesOf(s.consoleT, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Site'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const policy = resourcesOf(s.consoleT, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1].Properties.PolicyDocument;
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('origin access control: only this distribution may read the bucket, and only objects', () => {
    const [oacId, oac] = only(s.consoleT, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const s3Origin = distribution.Origins.find((o: Json) => o.S3OriginConfig)!;
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe(''); // no OAI
    expect(resourcesOf(s.consoleT, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0);
    const [bucketId] = resourcesOf(s.consoleT, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Site'))!;
    const allows = resourcesOf(s.consoleT, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1].Properties.PolicyDocument.Statement.filter((st: Json) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0].Action).toBe('s3:GetObject');
    expect(text(allows[0].Condition.StringEquals['AWS:SourceArn'])).toBe(`arn:{AWS::Partition}:cloudfront::{AWS::AccountId}:distribution/{${distributionId}}`);
  });

  it('the console under /console*: HTTPS (redirect), GET/HEAD, the SPA fallback on viewer request, security headers; HTTP/2 and 3; access logs', () => {
    const behavior = distribution.CacheBehaviors.find((b: Json) => b.PathPattern === '/console*');
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    const [fnId, fn] = only(s.consoleT, 'AWS::CloudFront::Function');
    expect(behavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toBe(readFileSync(VIEWER_REQUEST_FUNCTION, 'utf8'));
    const [headersId] = only(s.consoleT, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: headersId });
    expect(distribution.HttpVersion).toBe('http2and3');
    expect(distribution.Logging.Prefix).toBe('cloudfront/');
    expect(distribution.CustomErrorResponses).toBeUndefined(); // no 403/404 → index.html mapping that would swallow API errors
  });

  it('the SPA fallback: page paths get index.html, files go through, /console is redirected', () => {
    const handler = new Function(`${readFileSync(VIEWER_REQUEST_FUNCTION, 'utf8')}; return handler;`)() as (e: Json) => Json;
    const run = (uri: string) => handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } });
    for (const page of ['/console/', '/console/shows/123', '/console/callback', '/console/shows/01JX9Q/live', '/console/catalog/sellers/s-1']) expect(run(page).uri, page).toBe('/console/index.html');
    for (const file of ['/console/assets/x.js', '/console/config.json', '/console/assets/index-BR9EOAEE.css', '/console/index.html']) expect(run(file).uri, file).toBe(file);
    expect(run('/console')).toMatchObject({ statusCode: 301, headers: { location: { value: '/console/' } } });
    expect(run('/consoles')).toMatchObject({ statusCode: 404 });
  });

  it('the API on the same origin: every other path goes to the HTTP API, uncached, all methods, all viewer headers but Host, HTTPS only', () => {
    const d = distribution.DefaultCacheBehavior;
    expect(d.ViewerProtocolPolicy).toBe('https-only');
    expect(d.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']));
    expect(d.CachePolicyId).toBe(CACHING_DISABLED);
    expect(d.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    const apiOrigin = distribution.Origins.find((o: Json) => o.Id === d.TargetOriginId);
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // the origin is this API: the console stack's parameter is the API's id
    const parameter = text(apiOrigin.DomainName).match(/^\{(\w+)\}\.execute-api\.ap-northeast-1\.\{AWS::URLSuffix\}$/)![1]!;
    const [, nested] = only(s.apiT, 'AWS::CloudFormation::Stack');
    const [apiId] = only(s.apiT, 'AWS::ApiGatewayV2::Api');
    expect(nested.Properties.Parameters[parameter]).toEqual({ Ref: apiId });
  });

  it('security headers, and a CSP allowing exactly the console, Cognito and the IVS player', () => {
    const [, policy] = only(s.consoleT, 'AWS::CloudFront::ResponseHeadersPolicy');
    const h = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(h.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true });
    expect(h.ContentTypeOptions).toEqual({ Override: true });
    expect(h.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(h.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    const csp = Object.fromEntries(text(h.ContentSecurityPolicy.ContentSecurityPolicy).split('; ').map((d) => { const [name, ...sources] = d.split(' '); return [name!, sources]; }));
    expect(csp).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", "'wasm-unsafe-eval'", 'https://player.live-video.net'], // the IVS player (its CDN) and its wasm
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'", 'https://cognito-idp.ap-northeast-1.amazonaws.com', 'https://county-live-hunan.auth.ap-northeast-1.amazoncognito.com', 'https://*.live-video.net'],
      'media-src': ["'self'", 'blob:'],
      'worker-src': ["'self'", 'blob:'],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    expect(h.ContentSecurityPolicy.Override).toBe(true);
  });

  it('config.json is written at deploy time with the stack references resolved there, uncached, and never pruned by the build', () => {
    const deployments = resourcesOf(s.consoleT, 'Custom::CDKBucketDeployment');
    const settings = deployments.find(([id]) => id.startsWith('Settings'))![1].Properties;
    expect(settings).toMatchObject({ DestinationBucketKeyPrefix: 'console/', Prune: false, SystemMetadata: { 'cache-control': 'no-cache' } });
    const dir = join(s.assembly.directory, `asset.${String(settings.SourceObjectKeys[0]).replace(/\.zip$/, '')}`);
    let content = readFileSync(join(dir, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries<Json>(settings.SourceMarkers[0])) content = content.split(marker).join(text(value));
    const config = JSON.parse(content);
    const [clientId] = only(s.consoleT, 'AWS::Cognito::UserPoolClient');
    expect(config).toEqual({
      provinceId: 'hunan',
      apiUrl: '', // the console's own origin: the distribution serves the API
      authority: expect.stringMatching(/^\{referenceto\w+OperatorsPool\w+ProviderURL\}$/),
      clientId: `{${clientId}}`,
      counties: loadProvince('hunan').counties.map((c) => ({ id: c.id, name: c.name, channels: c.channels.map((ch) => ({ id: ch.id, name: ch.name })) })),
      logoutUrl: 'https://county-live-hunan.auth.ap-northeast-1.amazoncognito.com/logout',
    });
    // the issuer parameter is the pool's ProviderURL (https://cognito-idp.<region>.amazonaws.com/<poolId>), passed down from the province stack
    const parameter = config.authority.slice(1, -1);
    const [, apiStack] = resourcesOf(s.parent, 'AWS::CloudFormation::Stack').find(([id]) => id.startsWith('ApiNestedStack'))!;
    const [poolId] = only(s.parent, 'AWS::Cognito::UserPool');
    expect(apiStack.Properties.Parameters[parameter]).toEqual({ 'Fn::GetAtt': [poolId, 'ProviderURL'] });
    // the build: hashed assets immutable and kept; pages no-cache, pruned, but never config.json nor the assets
    const assets = deployments.find(([id]) => id.startsWith('Assets'))![1].Properties;
    expect(assets).toMatchObject({ DestinationBucketKeyPrefix: 'console/assets/', Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    const pages = deployments.find(([id]) => id.startsWith('Pages'))![1].Properties;
    expect(pages).toMatchObject({ DestinationBucketKeyPrefix: 'console/', Prune: true, Exclude: ['assets/*', 'config.json'], SystemMetadata: { 'cache-control': 'no-cache' } });
  });

  it("the operators' app client signs in and out at the distribution, and at the province's own addresses; the API's authorizer takes it", () => {
    const [clientId, client] = only(s.consoleT, 'AWS::Cognito::UserPoolClient');
    const base = `https://{${distributionId}.DomainName}`;
    expect(client.Properties.CallbackURLs.map(text)).toEqual([`${base}/console/callback`, 'https://console.hunan.example/console/callback']);
    expect(client.Properties.LogoutURLs.map(text)).toEqual([`${base}/console/`, 'https://console.hunan.example/console/']);
    expect(client.Properties).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: false });
    s.consoleT.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { ClientId: { Ref: clientId }, UseCognitoProvidedValues: true });
    // the authorizer's audience is the console stack's output of that client
    const [, authorizer] = resourcesOf(s.apiT, 'AWS::ApiGatewayV2::Authorizer').find(([, a]) => a.Properties.AuthorizerType === 'JWT')!;
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toContain(`Outputs.CountyLivehunanApiConsole${clientId.replace(/[0-9A-F]{8}$/, '')}`);
    expect(text(s.parent.toJSON().Outputs.ConsoleUrl.Value)).toMatch(/^https:\/\/\{ApiNestedStack\w+\.Outputs\.\w+Distribution\w*DomainName\}\/console\/$/);
  });

  it('a province that names no console still gets it: callbacks at the distribution only, a login domain of its own account', () => {
    const plain = synth(loadProvince('hunan'));
    const [, client] = only(plain.consoleT, 'AWS::Cognito::UserPoolClient');
    const [distId] = only(plain.consoleT, 'AWS::CloudFront::Distribution');
    expect(client.Properties.CallbackURLs.map(text)).toEqual([`https://{${distId}.DomainName}/console/callback`]);
    expect(client.Properties.LogoutURLs.map(text)).toEqual([`https://{${distId}.DomainName}/console/`]);
    const [, domain] = only(plain.parent, 'AWS::Cognito::UserPoolDomain');
    expect(text(domain.Properties.Domain)).toBe('county-live-hunan-{AWS::AccountId}');
    expect(text(plain.parent.toJSON().Outputs.ConsoleLoginDomain.Value)).toBe('https://{OperatorsPoolLogin8090EC09}.auth.ap-northeast-1.amazoncognito.com');
  }, 300_000);

  it('without a build of the console, synthesis still works: a placeholder page, and a warning', () => {
    const unbuilt = synth(loadProvince('hunan'), join(import.meta.dirname, 'no-such-console-dist'));
    const deployments = resourcesOf(unbuilt.consoleT, 'Custom::CDKBucketDeployment').map(([id]) => id.replace(/CustomResource.*$/, ''));
    expect(deployments.sort()).toEqual(['Pages', 'Settings']);
    const warnings = unbuilt.assembly.getStackArtifact(unbuilt.stack.artifactId).messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
    expect(warnings.some((w) => w.includes('the console is deployed as a placeholder page'))).toBe(true);
  }, 300_000);

  it('a second province synthesizes with a console of its own', () => {
    const guizhou = synth(loadProvince('guizhou'));
    const [, d] = only(guizhou.consoleT, 'AWS::CloudFront::Distribution');
    expect(d.Properties.DistributionConfig.Comment).toContain('guizhou');
    const region = loadProvince('guizhou').region;
    const [, policy] = only(guizhou.consoleT, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(text(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy)).toContain(`https://cognito-idp.${region}.amazonaws.com https://county-live-guizhou-{AWS::AccountId}.auth.${region}.amazoncognito.com`);
  }, 300_000);
});
