import { Annotations, Duration, NestedStack, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods, CachePolicy, Distribution, Function as CloudFrontFunction, FunctionCode, FunctionEventType, FunctionRuntime, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion,
  OriginProtocolPolicy, OriginRequestPolicy, OriginSslPolicy, PriceClass, ResponseHeadersPolicy, SecurityPolicyProtocol, ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Province } from '../../province/config/index.js';
import type { OperatorAccounts } from './operators.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The console's build (`npm ci` builds it; `npm run console:build` again). */
export const CONSOLE_DIST = join(HERE, '..', '..', 'console', 'dist');
/** The viewer-request function of the console's behavior (SPA fallback), kept as a file so tests can run it. */
export const VIEWER_REQUEST_FUNCTION = join(HERE, 'console-viewer-request.js');
/** Where the IVS player fetches playback (manifests, segments) from: amazon-ivs-player's documented CSP. */
export const IVS_PLAYBACK_ORIGIN = 'https://*.live-video.net';

export interface ProvinceConsoleProps {
  province: Province;
  /** The HTTP API the distribution fronts (its default behavior). */
  api: IHttpApi;
  operators: OperatorAccounts;
  /** The built console; defaults to console/dist. When it has no index.html, a placeholder page is deployed (see below). */
  dist?: string;
}

/**
 * The county console in the cloud, in a nested stack of its own: a private bucket holding the
 * built console under `console/`, read only by one CloudFront distribution through origin access
 * control, and `config.json` written at deploy time from the stack's own values.
 *
 * The distribution is the console's origin and the API's: `/console*` goes to the bucket (a
 * CloudFront Function answers page paths with index.html), everything else to the HTTP API,
 * uncached, with every viewer header but Host (Authorization included, as CloudFront allows
 * with caching disabled). So the console calls the API on its own origin (`apiUrl` ""), exactly
 * as under `npm start`: no CORS, no preflight, and a CSP whose connect-src needs no API origin.
 *
 * It also holds the operators' app client, whose callback and sign-out URLs are this
 * distribution's: the client must exist before the API's authorizer (which names it) and after the
 * distribution (which fronts the API), so this stack is nested in the API's.
 */
export class ProvinceConsole extends NestedStack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  /** `https://<distribution domain>/console/` */
  readonly url: string;
  /** The Content-Security-Policy header the console is served with. */
  readonly contentSecurityPolicy: string;
  /** What `/console/config.json` holds (tokens resolved at deploy time). */
  readonly settings: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ProvinceConsoleProps) {
    super(scope, id, { description: `County console of province ${props.province.id}: bucket, CloudFront distribution (console and API), operators' app client` });
    const { province, api, operators } = props;
    const region = Stack.of(this).region;

    // Access logs of the distribution (CloudFront's standard logs need a bucket with ACLs).
    const logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(province.logRetentionDays) }],
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This is the access-log bucket itself (the console distribution's logs): logging its own access would need yet another bucket.",
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "Only the console's distribution reads this bucket (origin access control), and every read is in the distribution's access logs; only the deployment writes it.",
    });

    // Content-Security-Policy: the console's own origin (its files and the API), Cognito (the
    // issuer's discovery, managed login's token endpoint), and the IVS player's playback; the
    // player's wasm needs 'wasm-unsafe-eval', its worker and media come from blob: URLs.
    const issuerOrigin = `https://cognito-idp.${region}.amazonaws.com`;
    this.contentSecurityPolicy = [
      "default-src 'self'",
      // the IVS player's script comes from its own CDN (loaded by the control room only, never bundled)
      "script-src 'self' 'wasm-unsafe-eval' https://player.live-video.net",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${issuerOrigin} ${operators.loginOrigin} ${IVS_PLAYBACK_ORIGIN}`,
      "media-src 'self' blob:",
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `County console ${province.id}: security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: this.contentSecurityPolicy, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: 'County console: page paths are answered with /console/index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromFile({ filePath: VIEWER_REQUEST_FUNCTION }),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `County console and API, province ${province.id}`,
      // the API: uncached, every method, every viewer header but Host (API Gateway answers by its own host name)
      defaultBehavior: {
        origin: new HttpOrigin(`${api.apiId}.execute-api.${region}.${Stack.of(this).urlSuffix}`, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY, // a POST redirected to https would be replayed as a GET by some clients: refused instead
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        '/console*': {
          origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED, // honours the objects' Cache-Control: index.html and config.json no-cache, assets immutable
          responseHeadersPolicy: headers,
          functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
          compress: true,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      // operators are in China: Asia's edge locations are in this class
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    const d = Validations.of(this.distribution);
    d.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'No geo restriction: operators sign in from wherever they travel and storefront servers call the API from any cloud; Cognito (MFA required) and the API keys decide who gets in.',
    });
    d.acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: "No WAF: a web ACL for CloudFront must live in us-east-1 (a stack of its own) at a monthly cost a province may choose; the API's stage throttling, Cognito and API-key authorizers protect it meanwhile.",
    });
    d.acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: "The distribution uses CloudFront's default *.cloudfront.net certificate, whose security policy CloudFront fixes (TLSv1 allowed); TLS 1.2 minimum (set here) applies once the province adds its own domain and ACM certificate.",
    });

    const base = `https://${this.distribution.distributionDomainName}`;
    this.url = `${base}/console/`;
    this.client = operators.addConsoleClient(this, { callbackUrls: [`${base}/console/callback`], logoutUrls: [this.url] });

    // The built console: hashed assets first (kept across deployments, so a tab still running the
    // previous version can load its lazy chunks), then the pages, which point at them.
    const dist = props.dist ?? CONSOLE_DIST;
    const built = existsSync(join(dist, 'index.html'));
    const deployment = (id: string, sources: ISource[], options: { prefix: string; cacheControl: CacheControl[]; prune: boolean; exclude?: string[] }) =>
      new BucketDeployment(this, id, {
        sources,
        destinationBucket: this.bucket,
        destinationKeyPrefix: options.prefix,
        cacheControl: options.cacheControl,
        prune: options.prune,
        ...(options.exclude ? { exclude: options.exclude } : {}),
        memoryLimit: 512,
      });
    const noCache = [CacheControl.noCache()];
    let pages: BucketDeployment;
    if (built) {
      const assets = deployment('Assets', [Source.asset(join(dist, 'assets'))], {
        prefix: 'console/assets/',
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
        prune: false,
      });
      pages = deployment('Pages', [Source.asset(dist, { exclude: ['assets', 'config.json', 'config.example.json'] })], {
        prefix: 'console/',
        cacheControl: noCache,
        prune: true,
        exclude: ['assets/*', 'config.json'],
      });
      pages.node.addDependency(assets);
    } else {
      // Synthesis never builds the console (tests synthesize on a tree that may not have built it):
      // without a build, the console's place holds a page that says so, and synthesis warns.
      Annotations.of(this).addWarningV2('county-live:console-not-built', `${dist} has no index.html: the console is deployed as a placeholder page. Run npm run console:build, then deploy again.`);
      pages = deployment('Pages', [Source.data('index.html', PLACEHOLDER)], { prefix: 'console/', cacheControl: noCache, prune: true, exclude: ['assets/*', 'config.json'] });
    }

    // Runtime settings, written at deploy time (never in the build): the API on this origin, the
    // pool's issuer, the app client, managed login's sign-out, the counties and their channels.
    this.settings = {
      provinceId: province.id,
      apiUrl: '',
      authority: operators.userPool.userPoolProviderUrl,
      clientId: this.client.userPoolClientId,
      counties: province.counties.map((c) => ({ id: c.id, name: c.name, channels: c.channels.map((ch) => ({ id: ch.id, name: ch.name })) })),
      logoutUrl: `${operators.loginOrigin}/logout`,
    };
    deployment('Settings', [Source.jsonData('config.json', this.settings)], { prefix: 'console/', cacheControl: noCache, prune: false }).node.addDependency(pages);

    // The deployments' handler (one per stack, made by BucketDeployment): what S3 sync takes.
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))!;
    const siteArn = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>`;
    const h = Validations.of(handler);
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
      h.acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${action}: the console's deployment reads its zipped build from the CDK asset bucket and lists the console's bucket to sync it (BucketDeployment's grants).` });
    }
    for (const action of ['s3:DeleteObject*', 's3:Abort*']) {
      h.acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${action}: the console's deployment replaces the console's files in its own bucket (prune of the previous build's pages), and only there.` });
    }
    h.acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
      reason: "Asset objects are named by content hash: the deployment may read any object of the CDK bootstrap's asset bucket, which holds only this account's build artifacts.",
    });
    h.acknowledge({ id: `AwsSolutions-IAM5[Resource::${siteArn}/*]`, reason: "The deployment writes the console's files anywhere in the console's own bucket (file names come from the build)." });
  }
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>County console not built</title></head>
<body><p>The county console was not built when this province was deployed: run <code>npm run console:build</code>, then deploy again.</p></body></html>
`;
