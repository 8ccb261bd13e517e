import { Lazy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkPresetProps, PresetRunbookProps } from './preset-props';
import { Checks, checkRequired } from '../../core/checks';
import { fail } from '../../core/errors';
import { ProcedureKind, registerProcedure } from '../../core/procedures';
import { Kinds } from '../kinds';
import { RunbookParameter } from '../parameter';
import { buildProps, Runbook, RunbookProps } from '../runbook';
import { Step } from '../step';

/** What the runbook does for an alias, as the alarms watching the alias name it. */
const PURPOSE = 'point the alias back to the previous version';

/** Picks the version to roll back to: the given one, or the one before the alias's current version. */
const PLAN_SCRIPT = `def handler(events, context):
    current = str(events["Current"])
    target = str(events.get("Target") or "")
    if target == "":
        if not current.isdigit():
            raise Exception("The alias points to " + current + ", not a published version: give TargetVersion.")
        if int(current) <= 1:
            raise Exception("The alias points to version 1: there is no previous version. Give TargetVersion.")
        target = str(int(current) - 1)
    if not target.isdigit():
        raise Exception("TargetVersion " + target + " is not a published version number.")
    if target == current:
        raise Exception("The alias already points to version " + current + ".")
    return {"Target": target, "Current": current}
`;

/**
 * Properties of a RollbackLambdaAlias runbook.
 */
export interface RollbackLambdaAliasProps extends PresetRunbookProps {
  /**
   * The aliases it may point back (each learns the runbook as a procedure: alarms on it name the runbook). Add more
   * with `addAlias`.
   *
   * @default - none yet: add at least one with `addAlias` before synth
   */
  readonly aliases?: lambda.IAlias[];
}

/**
 * Point a Lambda alias back to the previous published version (or a given one), after checking that version exists,
 * then verify the alias moved: the one-click undo of a bad deployment. One runbook serves several aliases; the
 * role may update only those.
 *
 * @example
 * const rollback = new RollbackLambdaAlias(workload, 'RollbackQuotes', { aliases: [quotes.alias!] });
 */
export class RollbackLambdaAlias extends Runbook {
  private readonly aliases: lambda.IAlias[];

  constructor(scope: Construct, id: string, props: RollbackLambdaAliasProps = {}) {
    const aliases: lambda.IAlias[] = [];
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'RollbackLambdaAliasProps', props, { aliases: [Checks.arrayOf(Kinds.alias, 'an array of Lambda aliases (lambda.IAlias)')] });
      return rollbackProps(props, aliases);
    }));
    this.aliases = aliases;
    (props.aliases ?? []).forEach((alias) => this.addAlias(alias));
    this.node.addValidation({
      validate: () => (this.aliases.length === 0 ? [`RollbackLambdaAlias ${this.node.path} has no aliases: pass aliases or call addAlias().`] : []),
    });
  }

  /** Let the runbook move `alias` back too; alarms that watch the alias then name this runbook. */
  public addAlias(alias: lambda.IAlias): void {
    checkRequired(this, 'addAlias(alias)', alias, Kinds.alias, 'Pass a Lambda alias, e.g. fn.addAlias(\'live\') or new lambda.Alias(...).');
    if (this.aliases.includes(alias)) return;
    if (!alias.version?.lambda) fail(this, `addAlias: ${alias.node.path} has no function version to read the function from: pass an alias of a published version.`);
    this.aliases.push(alias);
    registerProcedure(alias, { documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: PURPOSE, definedBy: this });
  }
}

/** The runbook's props, over the aliases added so far and later (read late). */
function rollbackProps(props: RollbackLambdaAliasProps, aliases: lambda.IAlias[]): RunbookProps {
  const functionNames = Lazy.list({ produce: () => unique(aliases.map((a) => a.version.lambda.functionName)) });
  const resources = Lazy.list({
    produce: () => unique(aliases.flatMap((a) => [a.version.lambda.functionArn, `${a.version.lambda.functionArn}:*`])),
  });
  const functionName = RunbookParameter.ofString('FunctionName', { description: 'The function whose alias to move back.', allowedValues: functionNames });
  const aliasName = RunbookParameter.ofString('AliasName', {
    description: 'The alias to move back.',
    allowedValues: Lazy.list({ produce: () => unique(aliases.map((a) => a.aliasName)) }),
    defaultValue: Lazy.string({ produce: () => aliases[0]?.aliasName ?? 'live' }),
  });
  const target = RunbookParameter.ofString('TargetVersion', {
    description: 'The version to point the alias to; empty for the version before the current one.',
    defaultValue: '',
    allowedPattern: '^[0-9]*$',
  });
  const call = { FunctionName: functionName.reference, Name: aliasName.reference };
  const read = Step.executeAwsApi({
    name: 'ReadAlias',
    service: 'lambda',
    api: 'GetAlias',
    inputs: call,
    resources,
    outputs: [{ name: 'Version', selector: '$.FunctionVersion' }],
    description: 'Read the version the alias points to now.',
  });
  const plan = Step.executeScript({
    name: 'Plan',
    script: PLAN_SCRIPT,
    inputs: { Current: read.output('Version'), Target: target.reference },
    outputs: [{ name: 'Target', selector: '$.Payload.Target' }],
    description: 'Pick the version to roll back to: TargetVersion, or the one before the current version.',
  });
  return {
    documentName: props.documentName,
    approval: props.approval,
    title: 'Roll back a Lambda alias',
    description: {
      purpose: 'Point a Lambda alias back to the previous published version (or TargetVersion) and verify it moved.',
      whenToUse: [
        "The service's page alarm fired after a deployment, and CodeDeploy's automatic rollback did not run (it was over).",
        'A release needs undoing quickly while the fix is prepared.',
      ],
      preconditions: [
        'No CodeDeploy deployment of the function is in progress (it would move the alias again).',
        'The target version was published and still exists.',
      ],
      rollback: 'Run the runbook again with TargetVersion set to the version it rolled back from (output ReadAlias.Version).',
    },
    parameters: [functionName, aliasName, target],
    steps: [
      read,
      plan,
      Step.executeAwsApi({
        name: 'CheckTarget',
        service: 'lambda',
        api: 'GetFunctionConfiguration',
        resources,
        inputs: { FunctionName: functionName.reference, Qualifier: plan.output('Target') },
        description: 'Fail unless the target version exists.',
      }),
      Step.executeAwsApi({
        name: 'PointAlias',
        service: 'lambda',
        api: 'UpdateAlias',
        resources,
        inputs: { ...call, FunctionVersion: plan.output('Target'), RoutingConfig: { AdditionalVersionWeights: {} } },
        description: 'Point the alias to the target version, with no traffic split.',
      }),
      Step.assertAwsResourceProperty({
        name: 'Verify',
        service: 'lambda',
        api: 'GetAlias',
        inputs: call,
        resources,
        propertySelector: '$.FunctionVersion',
        desiredValues: [plan.output('Target')],
        description: 'Check the alias now points to the target version.',
      }),
    ],
    outputs: [read.output('Version'), plan.output('Target')],
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
