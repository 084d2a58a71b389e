import * as z from 'zod';

/** Regions where Amazon IVS (low-latency) is offered. There is no China region. */
export const IVS_REGIONS = [
  'us-east-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'eu-central-1',
  'eu-west-1',
] as const;

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, 'must be a lower-case slug (a-z, 0-9, "-"), 2 to 32 characters');

export const ChannelConfig = z.object({
  id: slug,
  name: z.string().min(1).max(128),
  type: z.enum(['STANDARD', 'BASIC', 'ADVANCED_SD', 'ADVANCED_HD']).default('STANDARD'),
  latencyMode: z.enum(['LOW', 'NORMAL']).default('LOW'),
});

export const CountyConfig = z.object({
  id: slug,
  name: z.string().min(1),
  channels: z.array(ChannelConfig).min(1, 'a county needs at least one channel'),
});

export const ProvinceConfig = z
  .object({
    id: slug,
    name: z.string().min(1),
    region: z.enum(IVS_REGIONS, { error: `must be an IVS region: one of ${IVS_REGIONS.join(', ')}` }),
    /** Share of each seller's sales paid out to the seller, in basis points (8000 = 80%). */
    sellerShareBps: z
      .number()
      .int('must be a whole number of basis points')
      .min(8000, 'must be at least 8000 (80% to sellers)')
      .max(10000, 'must be at most 10000 (100%)')
      .default(8000),
    reservationTimeoutMinutes: z.number().int().min(1, 'must be at least 1').max(120, 'must be at most 120').default(15),
    postShowGraceMinutes: z.number().int().min(0, 'must be at least 0').max(120, 'must be at most 120').default(5),
    logRetentionDays: z.union([z.literal(30), z.literal(90), z.literal(180), z.literal(365)]).default(90),
    /** HTTP API stage throttling (requests/s and burst). A flash sale of R orders/s needs about 2R (reserve + pay). */
    apiThrottle: z
      .object({
        rateLimit: z.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000'),
        burstLimit: z.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000'),
      })
      .default({ rateLimit: 1000, burstLimit: 2000 }),
    /**
     * The province's WeChat Pay merchant account (API v3), which storefront buyers pay: the
     * mini program's or official account's AppID and the merchant number. Not secret; the keys
     * are in the province's payment secret (Secrets Manager), filled by the province's IT.
     */
    wechatPay: z.object({
      appId: z.string().regex(/^wx[0-9a-f]{16}$/, 'must be a WeChat AppID (wx and 16 hex digits)'),
      mchId: z.string().regex(/^\d{8,12}$/, 'must be a WeChat Pay merchant number (8 to 12 digits)'),
    }),
    /**
     * Where operator invitations and password resets are sent from. Without it Cognito's own
     * email is used, which sends only a few messages a day: too few to invite a province's
     * operators. The address (or its domain) must be verified in SES in `sesRegion`.
     */
    operatorEmail: z
      .object({
        from: z.email({ error: 'must be an email address verified in SES' }),
        fromName: z.string().min(1).max(64).optional(),
        sesRegion: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, 'must be an AWS region such as ap-northeast-1').optional(),
      })
      .optional(),
    /**
     * The operators' web console. The stack always deploys it (CloudFront, `ConsoleUrl`) and lets
     * Cognito send an operator back to it after signing in (authorization-code flow with PKCE);
     * these are further addresses allowed besides the distribution's (a domain of the province's
     * own), and the managed-login domain's prefix (default `county-live-<province>-<account id>`).
     */
    operatorConsole: z
      .object({
        callbackUrls: z.array(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })).default([]),
        logoutUrls: z.array(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })).default([]),
        /**
         * The prefix of the pool's Cognito domain, where managed login (sign-in, first-time password
         * change, TOTP set-up) is served: https://<prefix>.auth.<region>.amazoncognito.com. Unique
         * in the region across all AWS accounts.
         */
        domainPrefix: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, 'must be 3 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen')
          .refine((p) => !/aws|amazon|cognito/.test(p), 'must not contain "aws", "amazon" or "cognito" (Cognito reserves them)'),
      })
      .optional(),
    /**
     * Deletion protection on the tables and the operator pool. Tables and pool are kept when the
     * stack is updated or deleted either way; with protection off, a failed first deploy removes
     * what it created and can simply be run again. Turn it on before go-live.
     */
    deletionProtection: z.boolean().default(true),
    /**
     * How many nested stacks hold the channels (a county's channels share one, by a hash of its
     * id). Fixed at the first deploy: changing it moves counties between stacks, which replaces
     * their channels (new ARNs and stream keys).
     */
    channelStacks: z.number().int().min(1, 'must be at least 1').max(32, 'must be at most 32').default(8),
    counties: z.array(CountyConfig).min(1, 'a province needs at least one county'),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.counties.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['counties', i, 'id'], message: `duplicate county id "${c.id}"` });
      seen.add(c.id);
      const channels = new Set<string>();
      c.channels.forEach((ch, j) => {
        if (channels.has(ch.id))
          ctx.addIssue({ code: 'custom', path: ['counties', i, 'channels', j, 'id'], message: `duplicate channel id "${ch.id}"` });
        channels.add(ch.id);
      });
    });
  });

export type ProvinceInput = z.input<typeof ProvinceConfig>;
export type Province = z.output<typeof ProvinceConfig>;
export type County = Province['counties'][number];

export class ProvinceConfigError extends Error {}

/** Validates a province config; the error names the province, the field and what is allowed. */
export function parseProvince(input: ProvinceInput | unknown): Province {
  const result = ProvinceConfig.safeParse(input);
  if (result.success) return result.data;
  const id = typeof input === 'object' && input && 'id' in input ? String((input as { id: unknown }).id) : '(unnamed)';
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `  ${field || '(root)'}: ${issue.message}`;
  });
  throw new ProvinceConfigError(`Invalid config for province "${id}":\n${lines.join('\n')}`);
}
