import { App, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagRuleCompliance } from 'cdk-nag';
import { Evaluated } from './evaluated';
import { fnProps, newStack } from './helpers';
import { GameDay, GameDayExperiment, LambdaFaultConfiguration } from '../../../src/gameday';
import { OperableFunction } from '../../../src/services';
import { freight } from '../../support/fixtures';

/**
 * Rehearsal with guardrails (OPS-GameDayGuardrails, OPS11-BP09) and events that are never dropped silently
 * (OPS-EventDeadLetter, OPS10-BP01; OPS-DeadLetterQueue then asks for an alarm on the event dead-letter queue).
 * One app, synthesized once.
 */

const GAMEDAY = 'OPS-GameDayGuardrails';
const EVENTS = 'OPS-EventDeadLetter';
const COMPLIANT = NagRuleCompliance.COMPLIANT;

describe('rehearsal and event delivery: GameDayGuardrails, EventDeadLetter', () => {
  let evaluated: Evaluated;

  beforeAll(() => {
    const app = new App();
    // cdk-operable: a game day on an OperableFunction, stopped by its page composite, logged.
    const { stack } = newStack('Squad', app);
    const { workload } = freight(stack);
    const quotes = new OperableFunction(workload, 'Quotes', { functionProps: fnProps(), latencyThreshold: Duration.millis(300) });
    const faults = LambdaFaultConfiguration.fromBucket(new s3.Bucket(workload, 'Faults', { enforceSSL: true }));
    faults.applyTo(quotes.lambdaFunction as lambda.Function);
    new GameDay(workload, 'QuotesGameDay', {
      service: quotes, runbook: 'https://runbooks.example.com/quotes', experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: faults })],
    });

    // Plain aws-cdk-lib: an experiment nothing stops and nobody logs; one stopped by an alarm and logged.
    const { stack: plain } = newStack('Plain', app);
    const experiment = (id: string, props: Partial<fis.CfnExperimentTemplateProps>) => new fis.CfnExperimentTemplate(plain, id, {
      description: id, roleArn: 'arn:aws:iam::123456789012:role/fis', stopConditions: [{ source: 'none' }], targets: {}, actions: {}, tags: {}, ...props,
    });
    experiment('Unguarded', {});
    experiment('Guarded', {
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:quotes-page' }],
      logConfiguration: { logSchemaVersion: 2, cloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:fis' } },
    });

    // EventBridge targets with and without a dead-letter queue; a rule that only copies events into a log group.
    const fn = new lambda.Function(plain, 'Handler', fnProps());
    const dlq = new sqs.Queue(plain, 'EventDlq');
    new events.Rule(plain, 'WithDlq', { eventPattern: { source: ['freight.orders'] }, targets: [new targets.LambdaFunction(fn, { deadLetterQueue: dlq })] });
    new events.Rule(plain, 'Mixed', {
      eventPattern: { source: ['freight.prices'] },
      targets: [new targets.LambdaFunction(fn, { deadLetterQueue: dlq }), new targets.SqsQueue(new sqs.Queue(plain, 'Prices', {
        deadLetterQueue: { queue: new sqs.Queue(plain, 'PricesDlq'), maxReceiveCount: 3 },
      }))],
    });
    new events.Rule(plain, 'LogOnly', { eventPattern: { source: ['aws.codedeploy'] }, targets: [new targets.CloudWatchLogGroup(new logs.LogGroup(plain, 'Log'))] });
    new events.Rule(plain, 'Off', { enabled: false, eventPattern: { source: ['freight.x'] }, targets: [new targets.LambdaFunction(fn)] });
    evaluated = Evaluated.of(app);
  });

  test('OPS-GameDayGuardrails: the cdk-operable GameDay complies; an experiment with no alarm stop condition and no log reports both', () => {
    expect(evaluated.results(GAMEDAY)).toEqual({
      'Plain/Guarded': COMPLIANT,
      'Plain/Unguarded': ['NoStopCondition', 'NoExperimentLog'],
      'Squad/Freight/QuotesGameDay/LambdaInvocationErrors/Template': COMPLIANT,
    });
  });

  test('OPS-EventDeadLetter: every target of an enabled rule needs a dead-letter queue; log-group copies and disabled rules are not concerned', () => {
    expect(evaluated.results(EVENTS)).toEqual({
      'Plain/Mixed/Resource': ['TargetWithoutDeadLetterQueue'],
      'Plain/WithDlq/Resource': COMPLIANT,
    });
    expect(evaluated.violations(EVENTS).map((v) => v.severity)).toEqual(['warning']);
  });

  test('OPS-DeadLetterQueue: an EventBridge target\'s dead-letter queue is a dead-letter queue (it needs an alarm, not a DLQ of its own)', () => {
    expect(evaluated.results('OPS-DeadLetterQueue', 'Plain/EventDlq')).toEqual({ 'Plain/EventDlq/Resource': ['DeadLetterQueueNotAlarmed'] });
  });
});
