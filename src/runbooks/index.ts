export { RunbookParameter } from './parameter';
export type { RunbookParameterOptions, StringParameterOptions, IntegerParameterOptions, BooleanParameterOptions, StringListParameterOptions } from './parameter';
export { Runbook, RunbookApproval } from './runbook';
export type { RunbookProps, RunbookDescription, ImportedRunbookOptions } from './runbook';
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
