import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { automationContent } from '../../automation-content';
import { automationDocumentOf, isDisabled, targetsOf } from '../../event-evidence';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render, templateText } from '../../evidence';
import { actionMatches, allows, roleGrants, roleNamedBy } from '../../iam-evidence';
import { automationDocumentsByName } from '../../playbook-evidence';
import { defineRule } from '../../rule';

/**
 * Whether an IAM resource (a template value, its tokens such as `${AWS::Partition}` read as `*`) covers
 * `automation-definition/<name>:$DEFAULT` of SSM.
 */
function coversAutomation(name: string): (resource: unknown) => boolean {
  return (resource) => {
    const text = templateText(resource);
    if (text === '*') return true;
    const parts = text.split(':');
    if (parts.length < 6 || !actionMatches(parts[2], 'ssm')) return false;
    const path = parts.slice(5).join(':');
    return [`automation-definition/${name}:$DEFAULT`, `automation-definition/${name}`, `document/${name}`].some((target) => actionMatches(path, target));
  };
}

/** A document name given literally, or by reference to an `AWS::SSM::Document` of the same stack (its `Name`). */
function documentNameOf(index: AppIndex, from: RenderedResource, value: unknown): string {
  const referenced = [...referencedIds(value)].map((id) => index.byLogicalId(from.stack, id)).find((r) => r?.type === 'AWS::SSM::Document');
  return literals(referenced ? referenced.properties.Name : value).join('');
}

/**
 * What is wrong with one way of starting `documentName` as `roleArn`: no role, a role of the app that may not start the
 * document, or may not pass the document's own role (an Automation document of the app whose assumeRole is a role of
 * the app). Imported roles and managed policies cannot be read, so they are taken as able.
 */
function startFindings(index: AppIndex, from: RenderedResource, roleArn: unknown, documentName: string): string[] {
  if (roleArn === undefined || (literals(roleArn).join('') === '' && referencedIds(roleArn).size === 0)) return ['NoRole'];
  const role = roleNamedBy(index, from, roleArn);
  if (!role) return [];
  const grants = roleGrants(index, role);
  if (grants.managed) return [];
  const findings: string[] = [];
  if (!allows(grants.statements, 'ssm:StartAutomationExecution', coversAutomation(documentName))) findings.push('CannotStart');
  const doc = automationDocumentsByName(index).get(documentName);
  const docRole = doc ? roleNamedBy(index, doc, automationContent(doc).assumeRole) : undefined;
  if (docRole && !allows(grants.statements, 'iam:PassRole', (resource) => literals(resource).join('') === '*' ||
    (docRole.stack === role.stack ? referencedIds(resource).has(docRole.logicalId) : true))) {
    findings.push('CannotPassRole');
  }
  return findings;
}

/**
 * Automated responses (OPS10-BP07) start their runbook: an EventBridge rule whose target is an SSM Automation
 * (`automation-definition/<document>:$DEFAULT`) is enabled and has a role that may start the document and pass the
 * document's role; an Incident Manager response plan's SSM Automation actions have such a role. The rule applies to
 * those automations themselves, working or broken; a workload without any is not concerned.
 * Findings: NoRole, CannotStart, CannotPassRole, Disabled.
 */
export default defineRule({
  name: 'AutomatedResponse',
  area: 'runbooks',
  bestPractices: ['OPS10-BP07'],
  level: NagMessageLevel.WARN,
  info: 'An automated response cannot start its runbook: the EventBridge rule or response plan has no role, its role may not ' +
    "start the Automation document or pass the document's role, or the rule is disabled (the finding in brackets says which).",
  explanation: 'OPS10-BP07 Automate responses to events: an automated response that fails to start is worse than none, because ' +
    'everyone believes the event is handled; EventBridge and Incident Manager start Automation only as a role allowed ' +
    'ssm:StartAutomationExecution on the document and iam:PassRole of its assume role.',
  fix: 'Use cdk-operable AutoRemediation (a rule on the alarm\'s state change, and a role that may start only that runbook and pass ' +
    'only its role) or IncidentResponse automation; with plain aws-cdk-lib, give the events.Rule target a RoleArn whose policy ' +
    'allows ssm:StartAutomationExecution on arn:…:automation-definition/<document>:* and iam:PassRole of the document\'s assumeRole.',
}, (node): NagRuleResult => {
  if (node.cfnResourceType === 'AWS::Events::Rule') {
    const rule = render(node);
    const automations = targetsOf(rule).map((t) => ({ target: t, document: automationDocumentOf(t) })).filter((a) => a.document !== undefined);
    if (automations.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const index = appIndex(node);
    const findings = new Set(automations.flatMap(({ target, document }) => startFindings(index, rule, target.RoleArn, document!)));
    if (isDisabled(rule)) findings.add('Disabled');
    return findings.size === 0 ? NagRuleCompliance.COMPLIANT : [...findings];
  }
  if (node.cfnResourceType === 'AWS::SSMIncidents::ResponsePlan') {
    const plan = render(node);
    const actions = Array.isArray(plan.properties.Actions) ? plan.properties.Actions : [];
    const automations = actions.map((a) => (a as { SsmAutomation?: { RoleArn?: unknown; DocumentName?: unknown } })?.SsmAutomation)
      .filter((a): a is { RoleArn?: unknown; DocumentName?: unknown } => a !== undefined);
    if (automations.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const index = appIndex(node);
    const findings = new Set(automations.flatMap((a) => startFindings(index, plan, a.RoleArn, documentNameOf(index, plan, a.DocumentName))));
    return findings.size === 0 ? NagRuleCompliance.COMPLIANT : [...findings];
  }
  return NagRuleCompliance.NOT_APPLICABLE;
});
