import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery, CfnManagedLoginBranding, CfnUserPoolGroup, ClientAttributes, FeaturePlan, ManagedLoginVersion, Mfa, OAuthScope, StringAttribute, UserPool, UserPoolClient,
  type UserPoolDomain, UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Province } from '../../province/config/index.js';
import { authorizers } from '../../province/wiring.js';

/**
 * County operators' accounts: a Cognito user pool per province. Each operator carries the county
 * they work for (`custom:county`, set by an admin, never by the operator); the `province-admin`
 * group may act on every county. No self sign-up; MFA required.
 *
 * The pool has a Cognito domain serving managed login (the newer version, with Cognito's own style
 * for the console's client): operators sign in there with the authorization-code flow and PKCE, and
 * set their password and TOTP there the first time. Its prefix is the province's
 * `operatorConsole.domainPrefix`, or `county-live-<province>-<account id>` when the province names
 * none. The stack's output ConsoleLoginDomain is its base URL.
 *
 * The operators' app client is made by the console (`addConsoleClient`), in the console's own
 * nested stack: its callback and sign-out URLs are the console distribution's, which fronts the
 * API, whose authorizer names the client — one stack holding all three keeps CloudFormation
 * free of a cycle.
 */
export class OperatorAccounts extends Construct {
  readonly userPool: UserPool;
  /** Managed login's domain. */
  readonly loginDomain: UserPoolDomain;
  /** Managed login's origin, `https://<prefix>.auth.<region>.amazoncognito.com` (for the console's CSP and config). */
  readonly loginOrigin: string;
  private readonly province: Province;
  private consoleClient?: UserPoolClient;

  constructor(scope: Construct, id: string, props: { province: Province }) {
    super(scope, id);
    this.province = props.province;
    const consoleApp = props.province.operatorConsole;
    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { county: new StringAttribute({ minLen: 2, maxLen: 32, mutable: true }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // managed login (not the classic hosted UI) needs the Essentials plan, the default of new pools: said here, not assumed
      featurePlan: FeaturePlan.ESSENTIALS,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      ...(props.province.operatorEmail
        ? {
            email: UserPoolEmail.withSES({
              fromEmail: props.province.operatorEmail.from,
              fromName: props.province.operatorEmail.fromName,
              sesRegion: props.province.operatorEmail.sesRegion ?? props.province.region,
            }),
          }
        : {}),
      deletionProtection: props.province.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    for (const id of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(this.userPool).acknowledge({
        id,
        reason: 'Threat protection needs the Cognito Plus plan, a cost a province may choose; accounts are admin-created only and MFA is required.',
      });
    }
    new CfnUserPoolGroup(this, 'ProvinceAdmins', {
      userPoolId: this.userPool.userPoolId,
      groupName: authorizers.operator.adminGroup,
      description: `Province admins of ${props.province.id}: act on every county, issue storefront keys`,
    });
    // unique in the region across all AWS accounts: without a prefix of its own, the account id makes it so
    const domainPrefix = consoleApp?.domainPrefix ?? `county-live-${props.province.id}-${Aws.ACCOUNT_ID}`;
    this.loginDomain = this.userPool.addDomain('Login', {
      cognitoDomain: { domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.loginOrigin = `https://${domainPrefix}.auth.${Stack.of(this).region}.amazoncognito.com`;
    new CfnOutput(Stack.of(this), 'ConsoleLoginDomain', {
      value: this.loginDomain.baseUrl(),
      description: "Cognito managed login of the operators' console (the OIDC authority is the pool's issuer; sign-in, first password and TOTP set-up)",
    });
  }

  /** The operators' app client, once the console has made it. */
  get client(): UserPoolClient {
    if (!this.consoleClient) throw new Error('The operators\' app client is made by the console (addConsoleClient) before it is used');
    return this.consoleClient;
  }

  /**
   * The operators' app client, in `scope` (the console's stack): SRP for `npm run login`, and the
   * authorization-code flow with PKCE back to the console's addresses and the province's own
   * (`operatorConsole`); no implicit flow, ever. Managed login serves its pages with Cognito's style.
   */
  addConsoleClient(scope: Construct, urls: { callbackUrls: string[]; logoutUrls: string[] }): UserPoolClient {
    if (this.consoleClient) throw new Error('The operators\' app client exists already');
    const configured = this.province.operatorConsole;
    const client = (this.consoleClient = new UserPoolClient(scope, 'OperatorClient', {
      userPool: this.userPool,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        callbackUrls: [...urls.callbackUrls, ...(configured?.callbackUrls ?? [])],
        logoutUrls: [...urls.logoutUrls, ...(configured?.logoutUrls ?? [])],
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
      },
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      // operators read their county but can never change it: only admins (AdminUpdateUserAttributes) can
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('county'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      preventUserExistenceErrors: true,
    }));
    // managed login serves an app client's pages only once a style is assigned to it: Cognito's own
    new CfnManagedLoginBranding(scope, 'LoginStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    }).node.addDependency(this.loginDomain);
    return client;
  }
}
