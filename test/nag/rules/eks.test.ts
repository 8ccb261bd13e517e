import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { NagMessageLevel } from 'cdk-nag';
import { Evaluated } from './evaluated';
import { OperationalExcellenceChecks, OpsRisk } from '../../../src/nag';
import { PracticeStatus, ScopeReadiness } from '../../../src/orr/model';
import { practiceOf, reviewOf, scopeOf, synthesize, tagScope } from '../../orr/support';

const LOGGING = 'OPS-EksControlPlaneLogging';
const OBSERVABILITY = 'OPS-EksObservability';
const ADDON = 'amazon-cloudwatch-observability';
const ALL_LOG_TYPES = [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR];

const ruleOf = (id: string) => OperationalExcellenceChecks.RULES.find((r) => r.id === id)!;

/** A stack of its own VPC (one NAT gateway, two AZs: the clusters need private subnets with egress). */
function clusterStack(app: App, id: string, region = 'us-east-1'): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(app, id, { env: { account: '123456789012', region } });
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 2 }) };
}

/** An aws-eks-v2 cluster (Auto Mode, no kubectl provider) in the stack's VPC. */
function cluster(stack: Stack, vpc: ec2.Vpc, id: string, props: Partial<eks.ClusterProps> = {}): eks.Cluster {
  return new eks.Cluster(stack, id, { vpc, version: eks.KubernetesVersion.V1_35, ...props });
}

/** An L1 cluster with a literal name, exporting these control-plane log types. */
function l1Cluster(stack: Stack, id: string, name: string, logTypes: string[]): eks.CfnCluster {
  return new eks.CfnCluster(stack, id, {
    name,
    roleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
    resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'] },
    logging: { clusterLogging: { enabledTypes: logTypes.map((type) => ({ type })) } },
  });
}

describe('EKS clusters: control-plane logging and the CloudWatch observability add-on', () => {
  let evaluated: Evaluated;

  beforeAll(() => {
    const app = new App();
    const { stack, vpc } = clusterStack(app, 'Test');
    // Compliant: the three log types (and one more) and the add-on.
    const compliant = cluster(stack, vpc, 'Compliant', { clusterLogging: [...ALL_LOG_TYPES, eks.ClusterLoggingTypes.SCHEDULER] });
    new eks.Addon(stack, 'Observability', { cluster: compliant, addonName: ADDON });
    // No logging, no add-on of its own (the one above is on another cluster).
    cluster(stack, vpc, 'Silent');
    // Only the API log; an add-on with another name.
    const apiOnly = cluster(stack, vpc, 'ApiOnly', { clusterLogging: [eks.ClusterLoggingTypes.API] });
    new eks.Addon(stack, 'VpcCni', { cluster: apiOnly, addonName: 'vpc-cni' });
    // Logging turned on by a property override, the add-on on it given as an L1.
    const overridden = cluster(stack, vpc, 'Overridden');
    (overridden.node.defaultChild as eks.CfnCluster).addPropertyOverride('Logging.ClusterLogging.EnabledTypes',
      [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }]);
    new eks.CfnAddon(stack, 'OverriddenObservability', { addonName: ADDON, clusterName: overridden.clusterName });
    // L1 clusters: one complete, its add-on naming it literally; one with the audit log only and an add-on naming another cluster.
    l1Cluster(stack, 'L1', 'orders-eks', ['api', 'audit', 'authenticator', 'controllerManager']);
    new eks.CfnAddon(stack, 'L1Observability', { addonName: ADDON, clusterName: 'orders-eks' });
    l1Cluster(stack, 'L1Partial', 'billing-eks', ['audit']);
    new eks.CfnAddon(stack, 'ElsewhereObservability', { addonName: ADDON, clusterName: 'shipping-eks' });

    // Another stack and region: the same construct ids (so the same logical ids) and the same literal cluster name as above.
    const other = clusterStack(app, 'Other', 'eu-west-1');
    cluster(other.stack, other.vpc, 'Compliant', { clusterLogging: ALL_LOG_TYPES });
    l1Cluster(other.stack, 'L1', 'orders-eks', ['api', 'audit', 'authenticator']);
    evaluated = Evaluated.of(app);
  });

  test('OPS-EksControlPlaneLogging: api, audit and authenticator are required; overrides and L1 clusters count', () => {
    // Every resource the rule applies to: the clusters only (not the add-ons, roles or the VPC).
    expect(evaluated.results(LOGGING)).toEqual({
      'Other/Compliant/Resource': 'Compliant',
      'Other/L1': 'Compliant',
      'Test/ApiOnly/Resource': ['MissingLogTypes: audit, authenticator'],
      'Test/Compliant/Resource': 'Compliant',
      'Test/L1': 'Compliant',
      'Test/L1Partial': ['MissingLogTypes: api, authenticator'],
      'Test/Overridden/Resource': 'Compliant',
      'Test/Silent/Resource': ['MissingLogTypes: api, audit, authenticator'],
    });
  });

  test('OPS-EksControlPlaneLogging findings name the missing log types, as warnings', () => {
    expect(evaluated.violations(LOGGING)).toEqual([
      { ruleName: 'OPS-EksControlPlaneLogging[MissingLogTypes: audit, authenticator]', path: 'Test/ApiOnly/Resource', severity: 'warning' },
      { ruleName: 'OPS-EksControlPlaneLogging[MissingLogTypes: api, authenticator]', path: 'Test/L1Partial', severity: 'warning' },
      { ruleName: 'OPS-EksControlPlaneLogging[MissingLogTypes: api, audit, authenticator]', path: 'Test/Silent/Resource', severity: 'warning' },
    ]);
  });

  test('OPS-EksObservability: the add-on on the cluster by reference or by literal name, in the same stack, account and region', () => {
    // Other/Compliant has the logical id of Test/Compliant, Other/L1 the name of Test/L1: the add-ons of Test do not count for them.
    expect(evaluated.results(OBSERVABILITY)).toEqual({
      'Other/Compliant/Resource': 'Non-Compliant',
      'Other/L1': 'Non-Compliant',
      'Test/ApiOnly/Resource': 'Non-Compliant',
      'Test/Compliant/Resource': 'Compliant',
      'Test/L1': 'Compliant',
      'Test/L1Partial': 'Non-Compliant',
      'Test/Overridden/Resource': 'Compliant',
      'Test/Silent/Resource': 'Non-Compliant',
    });
    expect(evaluated.violations(OBSERVABILITY)).toEqual(['Other/Compliant/Resource', 'Other/L1', 'Test/ApiOnly/Resource', 'Test/L1Partial',
      'Test/Silent/Resource'].map((path) => ({ ruleName: OBSERVABILITY, path, severity: 'warning' })));
  });

  test('metadata: area, level, best practices, risk, and a fix with aws-cdk-lib', () => {
    expect([LOGGING, OBSERVABILITY].map((id) => {
      const rule = ruleOf(id);
      return [rule.area, rule.level, rule.bestPractices, rule.risk, rule.acknowledgeId];
    })).toEqual([
      ['observability', NagMessageLevel.WARN, ['OPS08-BP02'], OpsRisk.MEDIUM, 'OpsExcellence::OPS-EksControlPlaneLogging'],
      ['observability', NagMessageLevel.WARN, ['OPS04-BP02', 'OPS08-BP01'], OpsRisk.HIGH, 'OpsExcellence::OPS-EksObservability'],
    ]);
    expect(ruleOf(LOGGING).fix).toContain('clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR]');
    expect(ruleOf(OBSERVABILITY).fix).toContain("new eks.Addon(this, 'Observability', { cluster, addonName: 'amazon-cloudwatch-observability' })");
    // Registered next to ContainerInsights.
    const ids = OperationalExcellenceChecks.RULES.map((r) => r.id);
    expect(ids.slice(ids.indexOf('OPS-ContainerInsights'), ids.indexOf('OPS-ContainerInsights') + 3))
      .toEqual(['OPS-ContainerInsights', LOGGING, OBSERVABILITY]);
  });
});

describe('EKS clusters in the readiness review', () => {
  const CLUSTER = 'Eks/Tracking/Resource';
  let tracking: ScopeReadiness;

  beforeAll(() => {
    const dir = synthesize((app) => {
      const { stack, vpc } = clusterStack(app, 'Eks');
      cluster(stack, vpc, 'Tracking');
      tagScope(stack, { workload: 'freight', service: 'tracking', owner: 'tracking-team', oncall: 'tracking-oncall@example.com', tier: 'critical' });
    });
    tracking = scopeOf(reviewOf(dir), 'tracking');
  });

  test('a cluster without control-plane logs or the add-on: its practices are NOT_MET with the EKS findings only', () => {
    const assessed = (practiceId: string) => {
      const practice = practiceOf(tracking, practiceId);
      return [practice.status, practice.ruleIds, practice.findings.map((f) => [f.findingId, f.resourcePath, f.level])];
    };
    expect(assessed('OPS04-BP02')).toEqual([PracticeStatus.NOT_MET, ['OPS-StructuredLogs', 'OPS-ContainerInsights', OBSERVABILITY],
      [[OBSERVABILITY, CLUSTER, 'WARN']]]);
    expect(assessed('OPS08-BP01')).toEqual([PracticeStatus.NOT_MET, ['OPS-ContainerInsights', OBSERVABILITY, 'OPS-DatabaseMonitoring'],
      [[OBSERVABILITY, CLUSTER, 'WARN']]]);
    expect(assessed('OPS08-BP02')).toEqual([PracticeStatus.NOT_MET, ['OPS-LogRetention', 'OPS-StructuredLogs', LOGGING],
      [['OPS-EksControlPlaneLogging[MissingLogTypes: api, audit, authenticator]', CLUSTER, 'WARN']]]);
  });
});
