import { type App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** cdk-nag AwsSolutions as a policy-validation plugin: synth fails on any unacknowledged finding. */
export function checkWithNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/**
 * Stack-wide acknowledgments, each with its reason. Resource-specific ones sit next to the
 * resource they concern.
 */
export function acknowledgeStackFindings(stack: Stack): void {
  const v = Validations.of(stack);
  v.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "AWSLambdaBasicExecutionRole only lets a function write its own CloudWatch logs.",
  });
  v.acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Pinned to Node.js 22 on purpose: the project, its tests and benchmarks run on the node@22 toolchain.',
  });
}
