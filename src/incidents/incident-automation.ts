import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import { Construct } from 'constructs';
import { Checks, checkProps, describeValue } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';
import { IRunbook, KNOWN_PARAMETERS, startRunbookStatements } from '../runbooks/runbook-ref';

/** The runbook parameter names the involved resources and the incident ARN go to unless named otherwise. */
const INVOLVED_RESOURCES = 'InvolvedResources';
const INCIDENT_RECORD_ARN = 'IncidentRecordArn';
/** Response plan limits on SSM parameters: key length and values per key. */
const MAX_PARAMETER_KEY = 50;
const MAX_PARAMETER_VALUES = 10;

/** A runbook (any `IRunbook`: defined here or imported), duck-typed for runtime checks (internal). */
export function isRunbookLike(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as IRunbook).documentName === 'string' && Array.isArray((v as IRunbook).parameters);
}

/**
 * The runbook a response plan starts when an incident opens.
 */
export interface IncidentAutomation {
  /** The runbook (Systems Manager Automation document) to start. */
  readonly runbook: IRunbook;

  /**
   * Fixed values of the runbook's parameters, e.g. `{ FunctionName: ['quotes'] }` (at most 10 values each).
   *
   * @default - none (the runbook's defaults)
   */
  readonly parameters?: { [key: string]: string[] };

  /**
   * The runbook's `StringList` parameter that receives the ARNs of the resources involved in the incident.
   *
   * @default - `InvolvedResources` when the runbook declares it; otherwise none, with a warning
   */
  readonly involvedResourcesParameter?: string;

  /**
   * The runbook's `String` parameter that receives the incident record's ARN.
   *
   * @default - `IncidentRecordArn` when the runbook declares it; otherwise none
   */
  readonly incidentRecordArnParameter?: string;
}

/**
 * Check the automation against the runbook's parameters and create the role Incident Manager starts it with
 * (internal): `ssm:StartAutomationExecution` on this runbook only, `iam:PassRole` on its role only, and a trust
 * policy that admits only incidents of this response plan.
 */
export function renderAutomation(scope: Construct, responsePlanName: string, automation: IncidentAutomation):
{ action: ssmincidents.CfnResponsePlan.ActionProperty; role: iam.Role } {
  checkProps(scope, 'IncidentAutomation', automation, {
    parameters: [Checks.object('an object of string arrays by parameter name'), "e.g. parameters: { FunctionName: ['quotes'] }."],
    involvedResourcesParameter: [Checks.string({ nonEmpty: true })],
    incidentRecordArnParameter: [Checks.string({ nonEmpty: true })],
  }, 'automation.');
  for (const [key, values] of Object.entries(automation.parameters ?? {})) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
      fail(scope, `automation.parameters '${key}' must be an array of strings, got ${describeValue(values)}: e.g. { ${key}: ['value'] }.`);
    }
  }
  const runbook = automation.runbook;
  const known = KNOWN_PARAMETERS.has(runbook);
  const declared = (name: string) => runbook.parameters.find((p) => p.name === name);
  const doc = `runbook '${runbook.documentName}'`;
  const takes = `it takes ${runbook.parameters.map((p) => p.name).join(', ') || 'none'}`;

  const dynamic = (given: string | undefined, fallback: string, type: string, variable: string, what: string) => {
    if (given === undefined) return declared(fallback) ? [{ key: fallback, value: { variable } }] : [];
    const parameter = declared(given);
    if (!parameter && known) fail(scope, `automation.${what} '${given}' is not a parameter of ${doc} (${takes}).`);
    if (parameter && parameter.parameterType !== type) {
      fail(scope, `automation.${what} '${given}' of ${doc} is a ${parameter.parameterType}, but Incident Manager passes ${variable} as a ${type}: ` +
        `declare it with RunbookParameter.${type === 'String' ? 'ofString' : 'ofStringList'}.`);
    }
    return [{ key: given, value: { variable } }];
  };
  const resources = dynamic(automation.involvedResourcesParameter, INVOLVED_RESOURCES, 'StringList', 'INVOLVED_RESOURCES', 'involvedResourcesParameter');
  const record = dynamic(automation.incidentRecordArnParameter, INCIDENT_RECORD_ARN, 'String', 'INCIDENT_RECORD_ARN', 'incidentRecordArnParameter');
  const dynamicParameters = [...resources, ...record];
  if (resources.length === 0) {
    warn(scope, Warnings.INCIDENT_RUNBOOK_RESOURCES, `${doc} gets no involved resources: it declares no ` +
      `StringList parameter '${INVOLVED_RESOURCES}'. Add one, or name another with automation.involvedResourcesParameter.`);
  }

  const fixed = Object.entries(automation.parameters ?? {});
  for (const [key, values] of fixed) {
    if (key.length === 0 || key.length > MAX_PARAMETER_KEY) fail(scope, `automation.parameters key '${key}' must be 1-${MAX_PARAMETER_KEY} characters.`);
    if (known && !declared(key)) fail(scope, `automation.parameters '${key}' is not a parameter of ${doc} (${takes}).`);
    if (dynamicParameters.some((d) => d.key === key)) {
      fail(scope, `automation.parameters '${key}' is also filled by Incident Manager (${dynamicParameters.find((d) => d.key === key)!.value.variable}): remove it.`);
    }
    if (values.length === 0 || values.length > MAX_PARAMETER_VALUES) {
      fail(scope, `automation.parameters '${key}' has ${values.length} values; a response plan passes 1 to ${MAX_PARAMETER_VALUES} per parameter.`);
    }
  }
  const supplied = [...fixed.map(([k]) => k), ...dynamicParameters.map((d) => d.key)];
  const missing = runbook.parameters.filter((p) => p.required && !supplied.includes(p.name)).map((p) => p.name);
  if (missing.length > 0) {
    fail(scope, `${doc} needs parameter(s) ${missing.join(', ')}, which the response plan does not pass: add them to automation.parameters.`);
  }

  const stack = Stack.of(scope);
  // The permissions are inline: the plan references the role (GetAtt), which then orders the plan after its policy too.
  const role = new iam.Role(scope, 'AutomationRole', {
    description: `Lets Incident Manager start runbook ${runbook.documentName} for response plan ${responsePlanName} (cdk-operable)`,
    assumedBy: new iam.ServicePrincipal('ssm-incidents.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ssm-incidents:*:${stack.account}:incident-record/${responsePlanName}/*` },
    }),
    inlinePolicies: { StartRunbook: new iam.PolicyDocument({ statements: startRunbookStatements(stack, runbook) }) },
  });

  return {
    role,
    action: {
      ssmAutomation: {
        documentName: runbook.documentName,
        roleArn: role.roleArn,
        ...(fixed.length > 0 ? { parameters: fixed.map(([key, values]) => ({ key, values })) } : {}),
        ...(dynamicParameters.length > 0 ? { dynamicParameters } : {}),
      },
    },
  };
}
