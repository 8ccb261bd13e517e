import { Template } from 'aws-cdk-lib/assertions';
import { logicalId, profileId, standalone, withFunction } from './support';
import { DisableFeatureFlag, RunbookApproval } from '../../src';
import { documentContent, FakeAws, simulateRunbook } from '../support/runbook-simulation';

/** Names of the SSM documents that turn a flag off (the service has a rollback runbook too). */
const killSwitchDocuments = (template: Template) => Object.values(template.findResources('AWS::SSM::Document'))
  .map((r) => r.Properties.Name as string).filter((n) => n.includes('-disable-'));

describe('kill-switch runbooks (DisableFeatureFlag)', () => {
  test('with workload approvers: one per flag, named <application>-<environment>-disable-<flag>, gated by the approvers', () => {
    const s = standalone({}, { approvers: true });
    expect(s.flags.killSwitches.map((k) => k.documentName)).toEqual(['freight-flags-prod-disable-fast_quotes', 'freight-flags-prod-disable-new_checkout']);
    const runbook = s.flags.killSwitch('new_checkout')!;
    expect(runbook).toBeInstanceOf(DisableFeatureFlag);
    expect(runbook.node.path).toBe('Test/Freight/Flags/KillSwitch-prod-new_checkout');
    expect(runbook.hasApprovalGate).toBe(true);
    const template = Template.fromStack(s.stack);
    expect(killSwitchDocuments(template)).toEqual(['freight-flags-prod-disable-fast_quotes', 'freight-flags-prod-disable-new_checkout']);
    template.hasResourceProperties('AWS::SSM::Document', { Name: 'freight-flags-prod-disable-new_checkout', DocumentType: 'Automation', UpdateMethod: 'NewVersion' });
  });

  test('the runbook deploys the flags as defined in code with that flag off, to this application, environment and profile', () => {
    const s = standalone({}, { approvers: true });
    const runbook = s.flags.killSwitch('new_checkout')!;
    const deployed = JSON.parse(s.flags.content);
    const off = { ...deployed.values.new_checkout, enabled: false };
    expect(JSON.parse(runbook.disabledContent)).toEqual({ ...deployed, values: { ...deployed.values, new_checkout: off } });
    const steps = Object.fromEntries(documentContent(runbook).mainSteps.map((step) => [step.name, step.inputs]));
    const profile = profileId(s.stack, s.flags);
    expect(steps.CreateVersion).toMatchObject({
      ApplicationId: logicalId(s.stack, s.flags.application), ConfigurationProfileId: profile, Content: runbook.disabledContent,
    });
    expect(steps.Deploy).toMatchObject({ EnvironmentId: logicalId(s.stack, s.flags.environments[0]), DeploymentStrategyId: 'AppConfig.AllAtOnce' });
  });

  test('simulated: approved, it creates the version with the flag off and deploys it', () => {
    const s = standalone({}, { approvers: true });
    const aws = new FakeAws()
      .when('appconfig', 'CreateHostedConfigurationVersion', undefined, { VersionNumber: 3 })
      .when('appconfig', 'StartDeployment', undefined, { DeploymentNumber: 7 })
      .when('appconfig', 'GetDeployment', undefined, { State: 'COMPLETE' });
    const run = simulateRunbook(s.flags.killSwitch('fast_quotes')!, { aws });
    expect(run.status).toBe('Success');
    const [created] = aws.callsTo('appconfig', 'CreateHostedConfigurationVersion');
    expect(JSON.parse(created.Content as string).values.fast_quotes.enabled).toBe(false);
  });

  test('one per flag and environment; killSwitch(flag, environment) finds each', () => {
    const s = standalone({ environments: ['staging', 'prod'] }, { approvers: true });
    expect(s.flags.killSwitches.map((k) => k.documentName)).toEqual([
      'freight-flags-staging-disable-fast_quotes', 'freight-flags-staging-disable-new_checkout',
      'freight-flags-prod-disable-fast_quotes', 'freight-flags-prod-disable-new_checkout',
    ]);
    expect(s.flags.killSwitch('fast_quotes')!.documentName).toBe('freight-flags-staging-disable-fast_quotes');
    expect(s.flags.killSwitch('fast_quotes', 'prod')!.documentName).toBe('freight-flags-prod-disable-fast_quotes');
  });

  test('under a service: named after the service application', () => {
    const s = withFunction({}, { approvers: true });
    expect(s.flags.killSwitches.map((k) => k.documentName)).toEqual([
      'freight-quotes-feature-flags-prod-disable-fast_quotes', 'freight-quotes-feature-flags-prod-disable-new_checkout',
    ]);
  });

  test('killSwitchApproval: RunbookApproval.none(reason) creates them without approvers, ungated', () => {
    const s = standalone({ killSwitchApproval: RunbookApproval.none('turning a flag off is the safe direction') });
    expect(s.flags.killSwitches).toHaveLength(2);
    expect(s.flags.killSwitches.map((k) => k.hasApprovalGate)).toEqual([false, false]);
    expect(documentContent(s.flags.killSwitches[0]).description).toContain('Not gated: turning a flag off is the safe direction');
  });

  test('without approvers none are created by default; killSwitch: false turns them off with approvers', () => {
    expect(standalone().flags.killSwitches).toEqual([]);
    expect(standalone().flags.killSwitch('new_checkout')).toBeUndefined();
    const off = standalone({ killSwitch: false }, { approvers: true });
    expect(off.flags.killSwitches).toEqual([]);
    expect(killSwitchDocuments(Template.fromStack(off.stack))).toEqual([]);
  });

  test('killSwitch: true without approvers fails with the runbook approvers error', () => {
    expect(() => standalone({ killSwitch: true })).toThrow(
      "[Test/Freight/Flags/KillSwitch-prod-fast_quotes] Runbook 'freight-flags-prod-disable-fast_quotes' changes production state (CreateVersion, Deploy) " +
      "and needs an approval gate, but workload 'freight' has no approvers");
  });
});
