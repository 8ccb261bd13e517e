export { RunbookParameter, RunbookParameterType } from './parameter';
export type { RunbookParameterOptions, StringParameterOptions, IntegerParameterOptions, BooleanParameterOptions, StringListParameterOptions } from './parameter';
export { Runbook } from './runbook';
export { RunbookApproval } from './approval';
export type { RunbookProps } from './runbook';
export type { RunbookDescription } from './runbook-description';
export type { ImportedRunbookOptions } from './imported-runbook';
export type { IRunbook } from './runbook-ref';
export { Step } from './step';
export type {
  StepOptions, AwsApiCallOptions, ExecuteAwsApiOptions, AwsResourcePropertyOptions, ApproveOptions, SleepOptions, BranchOptions,
  ExecuteScriptOptions, ExecuteAutomationOptions,
} from './step-options';
export { BranchChoice, ScriptRuntime, StepFailure, StepOutputType } from './step-parts';
export type { StepOutput } from './step-parts';
export * from './presets';
export { Playbook } from './playbook';
export type { PlaybookMetric, PlaybookProps } from './playbook';
export { AutoRemediation } from './auto-remediation';
export type { AutoRemediationProps } from './auto-remediation';
