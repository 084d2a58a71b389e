import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
 * When the province names its console (`operatorConsole`), the pool gains a Cognito domain serving
 * managed login (the newer version, with Cognito's own style for the console's client): operators
 * sign in there with the authorization-code flow and PKCE, and set their password and TOTP there
 * the first time. The stack's output ConsoleLoginDomain is its base URL.
 */
export class OperatorAccounts extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** Managed login's domain, when the province names its console. */
  readonly loginDomain?: UserPoolDomain;

  constructor(scope: Construct, id: string, props: { province: Province }) {
    super(scope, id);
    const consoleApp = props.province.operatorConsole;
    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { county: new StringAttribute({ minLen: 2, maxLen: 32, mutable: true }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // managed login (not the classic hosted UI) needs the Essentials plan, the default of new pools: said here, not assumed
      ...(consoleApp ? { featurePlan: FeaturePlan.ESSENTIALS } : {}),
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
    this.client = this.userPool.addClient('Console', {
      authFlows: { userSrp: true },
      // the authorization-code flow only, back to the console's own addresses; no implicit flow, ever
      ...(consoleApp
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
              callbackUrls: consoleApp.callbackUrls,
              logoutUrls: consoleApp.logoutUrls,
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
            },
          }
        : { disableOAuth: true }),
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      // operators read their county but can never change it: only admins (AdminUpdateUserAttributes) can
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('county'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      preventUserExistenceErrors: true,
    });
    if (consoleApp) {
      this.loginDomain = this.userPool.addDomain('Login', {
        cognitoDomain: { domainPrefix: consoleApp.domainPrefix },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      // managed login serves an app client's pages only once a style is assigned to it: Cognito's own
      new CfnManagedLoginBranding(this, 'LoginStyle', {
        userPoolId: this.userPool.userPoolId,
        clientId: this.client.userPoolClientId,
        useCognitoProvidedValues: true,
      }).node.addDependency(this.loginDomain);
      new CfnOutput(Stack.of(this), 'ConsoleLoginDomain', {
        value: this.loginDomain.baseUrl(),
        description: "Cognito managed login of the operators' console (the OIDC authority is the pool's issuer; sign-in, first password and TOTP set-up)",
      });
    }
  }
}
