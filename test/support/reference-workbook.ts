import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The hand-written reference the design measures us against: the SRE Workbook policy in plain aws-cdk-lib, as a
 * careful team writes it without this library — six metric-math alarms (10-bad-event guard on long windows),
 * a page composite that ORs the two page pairs, a ticket composite suppressed by the page. US$ 2.20 per SLO-month.
 */
export class ReferenceWorkbookSlo extends Construct {
  public readonly pageAlarm: cloudwatch.CompositeAlarm;
  public readonly ticketAlarm: cloudwatch.CompositeAlarm;
  public readonly windowAlarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: { bad: cloudwatch.IMetric; total: cloudwatch.IMetric; topic: ITopic; name: string }) {
    super(scope, id);
    const alarm = (burn: number, window: Duration, guard: boolean) => {
      const ratio = '(FILL(bad,0)/total)/0.001';
      const a = new cloudwatch.Alarm(this, `Burn${burn}x${window.toMinutes()}m`, {
        alarmName: `${props.name}-burn${burn}x-${window.toMinutes()}m`,
        metric: new cloudwatch.MathExpression({
          expression: guard ? `IF(FILL(bad,0) >= 10, ${ratio}, 0)` : ratio,
          usingMetrics: { bad: props.bad, total: props.total },
          period: window,
        }),
        threshold: burn,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.windowAlarms.push(a);
      return a;
    };
    const fastLong = alarm(14.4, Duration.hours(1), true);
    const fastShort = alarm(14.4, Duration.minutes(5), false);
    const slowLong = alarm(6, Duration.hours(6), true);
    const slowShort = alarm(6, Duration.minutes(30), false);
    const ticketLong = alarm(1, Duration.days(3), true);
    const ticketShort = alarm(1, Duration.hours(6), false);
    this.pageAlarm = new cloudwatch.CompositeAlarm(this, 'Page', {
      compositeAlarmName: `${props.name}-page`,
      alarmRule: cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.allOf(fastLong, fastShort),
        cloudwatch.AlarmRule.allOf(slowLong, slowShort),
      ),
    });
    this.ticketAlarm = new cloudwatch.CompositeAlarm(this, 'Ticket', {
      compositeAlarmName: `${props.name}-ticket`,
      alarmRule: cloudwatch.AlarmRule.allOf(ticketLong, ticketShort),
      actionsSuppressor: this.pageAlarm,
      actionsSuppressorWaitPeriod: Duration.minutes(2),
      actionsSuppressorExtensionPeriod: Duration.hours(6),
    });
    this.pageAlarm.addAlarmAction(new sns.SnsAction(props.topic));
    this.ticketAlarm.addAlarmAction(new sns.SnsAction(props.topic));
  }
}
