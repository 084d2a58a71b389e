/** Production esbuild settings for every handler: the stack and the cold-start benchmark use these. */
export const LAMBDA_NODE_TARGET = 'node22';

export const bundlingSettings = {
  minify: true,
  sourceMap: true,
  target: LAMBDA_NODE_TARGET,
  /** The Node.js 22 Lambda runtime ships AWS SDK v3; bundling it again only grows cold starts. */
  externalModules: ['@aws-sdk/*'],
} as const;
