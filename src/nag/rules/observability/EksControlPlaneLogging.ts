import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/** The control-plane log types every cluster exports: API requests, the audit trail, and who authenticated. */
const REQUIRED_LOG_TYPES = ['api', 'audit', 'authenticator'];

/**
 * EKS clusters export the control-plane logs an incident needs to CloudWatch Logs: `api`, `audit` and `authenticator`
 * among `Logging.ClusterLogging.EnabledTypes`, read from the rendered template so that a property override counts. The
 * finding names the missing types (`MissingLogTypes: audit, authenticator`).
 */
export default defineRule({
  name: 'EksControlPlaneLogging',
  area: 'observability',
  bestPractices: ['OPS08-BP02'],
  level: NagMessageLevel.WARN,
  info: 'The EKS cluster does not export the api, audit and authenticator control-plane logs (the finding in brackets says which are missing).',
  explanation: 'OPS08-BP02 Analyze workload logs: the API server, audit and authenticator logs are the only record of who ' +
    'changed what in the cluster and why a request or a node was refused; without them a bad apply or a lost permission ' +
    'cannot be traced during the incident or the post-incident review.',
  fix: 'clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR] on the ' +
    'aws-eks-v2 Cluster (OperableEksCluster turns them on); on a CfnCluster, logging: { clusterLogging: { enabledTypes: ' +
    '[{ type: \'api\' }, { type: \'audit\' }, { type: \'authenticator\' }] } }.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::EKS::Cluster') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const logging = render(node).properties.Logging as { ClusterLogging?: { EnabledTypes?: unknown } } | undefined;
  const enabled = logging?.ClusterLogging?.EnabledTypes;
  const types = Array.isArray(enabled) ? enabled.map((t: { Type?: unknown } | undefined) => t?.Type) : [];
  const missing = REQUIRED_LOG_TYPES.filter((t) => !types.includes(t));
  return missing.length === 0 ? NagRuleCompliance.COMPLIANT : [`MissingLogTypes: ${missing.join(', ')}`];
});
