import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { OperableFunction, ServiceDashboard, ServiceLevelObjective, Sli, Workload } from '../../src';
import { claimPhysicalName, PhysicalNameKind } from '../../src/core/physical-names';
import { freight, quotesMetric, testStack } from '../support/fixtures';

const sli = () => Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') });
const fnProps = () => ({ functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') } });

describe('names AWS needs unique fail synth, naming both construct paths (before: the deployment failed)', () => {
  test('two standalone SLOs with the same service and SLO name: duplicate alarm names', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    new ServiceLevelObjective(workload, 'QuoteSuccess', { serviceName: 'quotes', sli: sli() });
    expect(() => new ServiceLevelObjective(workload, 'QuoteSuccess2', { serviceName: 'quotes', sloName: 'quote-success', sli: sli() })).toThrow(
      "[Test/Freight/QuoteSuccess2/Window14.4x1h] alarm name 'freight-quotes-quote-success-burn14.4x-1h' is already used by " +
      'Test/Freight/QuoteSuccess/Window14.4x1h (account 123456789012, region us-east-1): AWS needs it unique, so the deployment would fail.');
  });

  test("ids 'QuoteSuccess' and 'Quote-Success' give the same default SLO name: caught", () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    new ServiceLevelObjective(workload, 'QuoteSuccess', { serviceName: 'quotes', sli: sli() });
    expect(() => new ServiceLevelObjective(workload, 'Quote-Success', { serviceName: 'quotes', sli: sli() })).toThrow(
      "alarm name 'freight-quotes-quote-success-burn14.4x-1h' is already used by Test/Freight/QuoteSuccess/Window14.4x1h");
  });

  test('two services named quotes: their composites (and dashboards) would collide', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    new OperableFunction(workload, 'Quotes', fnProps());
    expect(() => new OperableFunction(workload, 'QuotesV2', { ...fnProps(), serviceName: 'quotes' })).toThrow(
      "[Test/Freight/QuotesV2/Dashboard] dashboard name 'freight-quotes' is already used by Test/Freight/Quotes/Dashboard (account 123456789012)");
    const t = testStack();
    const w = freight(t.stack);
    new OperableFunction(w.workload, 'Quotes', { ...fnProps(), dashboard: false });
    expect(() => new OperableFunction(w.workload, 'QuotesV2', { ...fnProps(), serviceName: 'quotes', dashboard: false })).toThrow(
      "[Test/Freight/QuotesV2/Page] alarm name 'freight-quotes-page' is already used by Test/Freight/Quotes/Page");
  });

  test('the same dashboardName twice, even across regions (dashboards are account-wide)', () => {
    const app = new App();
    const east = new Stack(app, 'East', { env: { account: '123456789012', region: 'us-east-1' } });
    const west = new Stack(app, 'West', { env: { account: '123456789012', region: 'eu-west-1' } });
    const owner = { team: 'pricing', onCall: 'oncall' };
    new ServiceDashboard(new Workload(east, 'W', { workloadName: 'freight', owner }), 'Dash', { serviceName: 'quotes', dashboardName: 'quotes-ops' });
    expect(() => new ServiceDashboard(new Workload(west, 'W', { workloadName: 'freight', owner }), 'Dash', { serviceName: 'quotes', dashboardName: 'quotes-ops' }))
      .toThrow("[West/W/Dash] dashboard name 'quotes-ops' is already used by East/W/Dash (account 123456789012)");
  });

  test('alarms of the same name in two regions, or two accounts, are fine', () => {
    const app = new App();
    const owner = { team: 'pricing', onCall: 'oncall' };
    for (const [id, env] of [['East', { account: '1', region: 'us-east-1' }], ['West', { account: '1', region: 'eu-west-1' }], ['Other', { account: '2', region: 'us-east-1' }]] as const) {
      const workload = new Workload(new Stack(app, id, { env }), 'W', { workloadName: 'freight', owner });
      expect(() => new ServiceLevelObjective(workload, 'QuoteSuccess', { serviceName: 'quotes', sli: sli() })).not.toThrow();
    }
  });

  test('a name given as a token is checked at synth, once it resolves', () => {
    const { app, stack } = testStack();
    claimPhysicalName(new Construct(stack, 'A'), PhysicalNameKind.CANARY, 'quotes-health');
    claimPhysicalName(new Construct(stack, 'B'), PhysicalNameKind.CANARY, Lazy.string({ produce: () => 'quotes-health' }));
    expect(() => app.synth()).toThrow("[Test/B] canary name 'quotes-health' is already used by Test/A");
  });

  test('re-synthesizing an app does not collide with itself', () => {
    const { app, stack } = testStack();
    claimPhysicalName(new Construct(stack, 'A'), PhysicalNameKind.CANARY, Lazy.string({ produce: () => 'quotes-health' }));
    app.synth();
    expect(() => app.synth({ force: true })).not.toThrow();
  });
});
