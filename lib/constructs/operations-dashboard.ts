import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, type IMetric, Metric, SingleValueWidget, TextWidget, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsDashboardProps {
  provinceId: string;
  api: HttpApi;
  functions: Record<string, IFunction>;
  deadLetterQueues: IQueue[];
  alarmTopic: ITopic;
}

/**
 * One dashboard per province: storefront traffic, sales, settlement, and the health of every
 * function and dead-letter queue; plus the alarms that page someone.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const ns = `CountyLive/${props.provinceId}`;
    const business = (metricName: string, statistic = 'Sum') =>
      new Metric({ namespace: ns, metricName, dimensionsMap: { service: 'county-live' }, statistic, period: Duration.minutes(1) });
    const perFunction = (metric: (fn: IFunction) => IMetric) => Object.values(props.functions).map(metric);

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# County live commerce — ${props.provinceId}\nSales, settlement and system health. Amounts are in fen (100 fen = 1 yuan).`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Orders', left: [business('OrdersReserved'), business('OrdersPaid'), business('OutOfStockRefusals')], width: 8 }),
      new GraphWidget({ title: 'GMV paid (fen)', left: [business('GmvFen')], width: 8 }),
      new SingleValueWidget({ title: 'Settled today (fen)', metrics: [business('SettledGrossFen'), business('SettledPayoutFen'), business('SettledOperationsFen')], width: 8, period: Duration.days(1) }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API requests and errors', left: [props.api.metricCount(), props.api.metricClientError(), props.api.metricServerError()], width: 8 }),
      new GraphWidget({ title: 'API latency p99 (ms)', left: [props.api.metricLatency({ statistic: 'p99' })], width: 8 }),
      new GraphWidget({ title: 'Settlement', left: [business('SettlementsCompleted'), business('SettlementsFailed')], right: [business('SettlementDuration', 'Maximum')], width: 8 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', left: perFunction((fn) => fn.metricErrors({ period: Duration.minutes(1) })), width: 8 }),
      new GraphWidget({ title: 'Function throttles', left: perFunction((fn) => fn.metricThrottles({ period: Duration.minutes(1) })), width: 8 }),
      new GraphWidget({ title: 'Dead letters', left: props.deadLetterQueues.map((q) => q.metricApproximateNumberOfMessagesVisible()), width: 8 }),
    );

    const alarm = (name: string, description: string, metric: IMetric, threshold: number) =>
      new Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.alarmTopic));
    alarm('ApiServerErrors', 'Storefronts are getting 5xx answers.', props.api.metricServerError({ period: Duration.minutes(1) }), 5);
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name.charAt(0).toUpperCase()}${name.slice(1)}Errors`, `Function ${name} is failing (crashes or timeouts).`, fn.metricErrors({ period: Duration.minutes(1) }), 3);
    }
  }
}
