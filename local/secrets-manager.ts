/**
 * An AWS Secrets Manager stand-in (AWS JSON 1.1, `secretsmanager.GetSecretValue`): the offline
 * province's payment secret, filled as the province's IT fills it in the cloud. Functions read it
 * through the real @aws-sdk/client-secrets-manager with only an endpoint override.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class SecretsManagerStandIn {
  private readonly secrets = new Map<string, () => string>();

  /** A secret by ARN; its value is read at each GetSecretValue (so a rotation shows). */
  put(arn: string, value: () => string): void {
    this.secrets.set(arn, value);
  }

  async handleHttp(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const reply = (status: number, payload: unknown, type?: string) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-errortype': type } : {}) });
      res.end(JSON.stringify(payload));
    };
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'secretsmanager.GetSecretValue') return reply(400, { __type: 'UnknownOperationException', message: `the stand-in speaks GetSecretValue only (got ${target})` }, 'UnknownOperationException');
    let secretId: unknown;
    try {
      secretId = JSON.parse(body).SecretId;
    } catch {
      return reply(400, { __type: 'SerializationException', message: 'body is not JSON' }, 'SerializationException');
    }
    const value = typeof secretId === 'string' ? this.secrets.get(secretId) : undefined;
    if (!value) return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }, 'ResourceNotFoundException');
    const name = String(secretId).split(':secret:')[1] ?? String(secretId);
    return reply(200, { ARN: secretId, Name: name, VersionId: 'local', SecretString: value(), VersionStages: ['AWSCURRENT'], CreatedDate: Date.now() / 1000 });
  }
}
