import { NagMessageLevel, NagRuleCompliance, rules } from 'cdk-nag';
import { isFrameworkFunction, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Lambda functions log JSON, and API Gateway stages write JSON access logs (cdk-nag's APIGWAccessLogging and
 * APIGWStructuredLogging), so logs can be queried by field.
 */
export default defineRule({
  name: 'StructuredLogs',
  area: 'observability',
  bestPractices: ['OPS04-BP02', 'OPS08-BP02'],
  level: NagMessageLevel.WARN,
  info: 'The function logs plain text (LoggingConfig.LogFormat is not JSON), or the API stage writes no access logs or not as JSON.',
  explanation: 'OPS04-BP02 Implement application telemetry, OPS08-BP02 Analyze workload logs: structured logs can be filtered, ' +
    'aggregated and turned into metrics by field (request id, error type) in Logs Insights.',
  fix: 'Lambda: loggingFormat: lambda.LoggingFormat.JSON (OperableFunction sets it). API stage: accessLogDestination with ' +
    'AccessLogFormat.jsonWithStandardFields() (OperableRestApi and OperableHttpApi set them).',
}, (node) => {
  if (node.cfnResourceType === 'AWS::ApiGateway::Stage' || node.cfnResourceType === 'AWS::ApiGatewayV2::Stage') {
    return rules.apigw.APIGWAccessLogging(node) === NagRuleCompliance.NON_COMPLIANT
      ? NagRuleCompliance.NON_COMPLIANT : rules.apigw.APIGWStructuredLogging(node);
  }
  if (node.cfnResourceType !== 'AWS::Lambda::Function') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const fn = render(node);
  if (isFrameworkFunction(fn)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const format = (fn.properties.LoggingConfig as { LogFormat?: unknown } | undefined)?.LogFormat;
  return format === 'JSON' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
