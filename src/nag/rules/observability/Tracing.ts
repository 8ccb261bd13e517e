import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isFrameworkFunction, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Lambda functions, API Gateway REST stages and Step Functions state machines trace with X-Ray: the checks of cdk-nag's
 * LambdaTracing, APIGWXrayEnabled and StepFunctionStateMachineXray, under one id, read from the rendered template so
 * that escape hatches (property overrides) count. (HTTP APIs cannot trace.)
 */
export default defineRule({
  name: 'Tracing',
  area: 'observability',
  bestPractices: ['OPS04-BP05'],
  level: NagMessageLevel.WARN,
  info: 'X-Ray tracing is off for this function, REST API stage or state machine.',
  explanation: 'OPS04-BP05 Implement distributed tracing: without traces, finding which hop of a request failed or slowed down ' +
    'means correlating logs by hand during the incident.',
  fix: 'Lambda: tracing: lambda.Tracing.ACTIVE (OperableFunction sets it); REST API: deployOptions.tracingEnabled: true; ' +
    'state machine: tracingEnabled: true.',
}, (node) => {
  const compliant = (traced: boolean) => traced ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  switch (node.cfnResourceType) {
    case 'AWS::Lambda::Function': {
      const fn = render(node);
      return isFrameworkFunction(fn) ? NagRuleCompliance.NOT_APPLICABLE
        : compliant((fn.properties.TracingConfig as { Mode?: unknown } | undefined)?.Mode === 'Active');
    }
    case 'AWS::ApiGateway::Stage':
      return compliant(render(node).properties.TracingEnabled === true);
    case 'AWS::StepFunctions::StateMachine':
      return compliant((render(node).properties.TracingConfiguration as { Enabled?: unknown } | undefined)?.Enabled === true);
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
});
