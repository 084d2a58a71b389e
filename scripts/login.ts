/**
 * npm run login -- --province hunan --email head@chengbu.example
 *
 * An operator signs in from a terminal, as the web console will: Cognito SRP (the password never
 * leaves this machine), the first-time new password, the first-time TOTP set-up (prints the
 * secret and an otpauth:// URI for an authenticator app), then the six-digit code. The ID token
 * (what the API's operator routes take as `Authorization: Bearer …`) is printed and kept in
 * .local/operator-<province>.json (mode 600) until it expires (1 hour).
 * The pool and client ids come from the province stack's outputs (or --user-pool-id/--client-id).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AuthenticationDetails, CognitoUser, type CognitoUserSession, CognitoUserPool } from 'amazon-cognito-identity-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadProvince } from '../province/config/index.js';

export interface LoginOptions { province: string; email: string; userPoolId?: string; clientId?: string }

export function loginOptions(argv: string[]): LoginOptions {
  const { values } = parseArgs({
    args: argv,
    options: { province: { type: 'string' }, email: { type: 'string' }, 'user-pool-id': { type: 'string' }, 'client-id': { type: 'string' } },
  });
  if (!values.province) throw new Error('--province is required (e.g. --province hunan)');
  if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) throw new Error('--email is required: the operator\'s sign-in email');
  loadProvince(values.province); // an unknown province is refused with the list of known ones
  return { province: values.province, email: values.email, userPoolId: values['user-pool-id'], clientId: values['client-id'] };
}

/** The operator pool and client of a deployed province, from its stack outputs. */
async function poolOf(options: LoginOptions): Promise<{ userPoolId: string; clientId: string }> {
  if (options.userPoolId && options.clientId) return { userPoolId: options.userPoolId, clientId: options.clientId };
  const province = loadProvince(options.province);
  const cfn = new CloudFormationClient({ region: province.region });
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: `CountyLive-${province.id}` }));
  const output = (key: string) => Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  const userPoolId = output('OperatorUserPoolId');
  const clientId = output('OperatorClientId');
  if (!userPoolId || !clientId) throw new Error(`stack CountyLive-${province.id} has no OperatorUserPoolId/OperatorClientId outputs: is it deployed in ${province.region}?`);
  return { userPoolId, clientId };
}

async function signIn(options: LoginOptions): Promise<CognitoUserSession> {
  const { userPoolId, clientId } = await poolOf(options);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const ask = (q: string) => rl.question(q);
  try {
    const user = new CognitoUser({ Username: options.email, Pool: new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId }) });
    const password = await ask('Password: ');
    return await new Promise<CognitoUserSession>((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired: async () => {
          const next = await ask('First sign-in: choose a new password (12+ characters, upper and lower case, a digit, a symbol): ');
          user.completeNewPasswordChallenge(next, {}, callbacks);
        },
        mfaSetup: () =>
          user.associateSoftwareToken({
            onFailure: reject,
            associateSecretCode: async (secret) => {
              console.log(`\nSet up your authenticator app (MFA is required):\n  secret: ${secret}\n  otpauth://totp/CountyLive-${options.province}:${encodeURIComponent(options.email)}?secret=${secret}&issuer=CountyLive-${options.province}\n`);
              const code = await ask('Six-digit code from the app: ');
              user.verifySoftwareToken(code.trim(), 'terminal', { onSuccess: resolve, onFailure: reject });
            },
          }),
        totpRequired: async () => {
          const code = await ask('Six-digit code from your authenticator app: ');
          user.sendMFACode(code.trim(), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA');
        },
      };
      user.authenticateUser(new AuthenticationDetails({ Username: options.email, Password: password }), callbacks);
    });
  } finally {
    rl.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const options = loginOptions(process.argv.slice(2));
    const session = await signIn(options);
    const idToken = session.getIdToken().getJwtToken();
    const file = join(import.meta.dirname, '..', '.local', `operator-${options.province}.json`);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify({ idToken, expiresAt: new Date(session.getIdToken().getExpiration() * 1000).toISOString() }, null, 2), { mode: 0o600 });
    console.log(`\nSigned in. ID token (1 hour), also in ${file}:\n${idToken}`);
  } catch (error) {
    console.error((error as Error).message ?? error);
    process.exit(1);
  }
}
