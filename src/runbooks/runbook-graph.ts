import { IConstruct } from 'constructs';
import { RunbookParameter } from './parameter';
import { Step } from './step';
import { fail } from '../core/errors';

/**
 * The flow of a runbook's steps (internal): where each step can go, checked for unknown targets, cycles that no
 * condition breaks, and references to parameters and outputs that do not exist.
 */
export class RunbookGraph {
  private readonly index: Map<string, number>;

  constructor(private readonly scope: IConstruct, public readonly steps: Step[]) {
    if (steps.length === 0) fail(scope, 'steps is empty: a runbook needs at least one step, e.g. Step.executeAwsApi({ ... }).');
    this.index = new Map();
    steps.forEach((s, i) => {
      if (this.index.has(s.name)) fail(scope, `Two steps are named '${s.name}': step names must be unique.`);
      this.index.set(s.name, i);
    });
  }

  /** Every step a step can go to. */
  public successors(i: number): number[] {
    const step = this.steps[i];
    const next = step._jumps().map(([name]) => this.index.get(name)!);
    if (step._fallsThrough() && i + 1 < this.steps.length) next.push(i + 1);
    return next;
  }

  /** Fail on jumps to steps that do not exist. */
  public checkTargets(): void {
    for (const step of this.steps) {
      for (const [target] of step._jumps()) {
        if (!this.index.has(target)) {
          fail(this.scope, `Step '${step.name}' goes to step '${target}', which does not exist (steps: ${[...this.index.keys()].join(', ')}).`);
        }
      }
    }
  }

  /** Fail on a loop of nextStep/fall-through transitions: it would run until the automation times out. */
  public checkCycles(): void {
    for (let start = 0; start < this.steps.length; start++) {
      const path: number[] = [];
      let i: number | undefined = start;
      while (i !== undefined) {
        const seen = path.indexOf(i);
        if (seen >= 0) {
          const loop = [...path.slice(seen), i].map((n) => this.steps[n].name).join(' → ');
          fail(this.scope, `Steps loop without a condition: ${loop}. Break the loop with a branch step, or end it (isEnd).`);
        }
        path.push(i);
        i = this.unconditionalNext(i);
      }
    }
  }

  /** Fail on `{{ X }}` references to undeclared parameters or outputs. */
  public checkReferences(parameters: RunbookParameter[], inputsOf: (step: Step) => unknown, outputs: string[]): void {
    const known = new Set(parameters.map((p) => p.name));
    const outputsOf = new Map(this.steps.map((s) => [s.name, s._outputNames()]));
    const check = (where: string, ref: string) => {
      if (ref.startsWith('global:') || ref.startsWith('automation:')) return;
      const [stepName, output, ...rest] = ref.split('.');
      if (output === undefined) {
        if (!known.has(ref)) {
          fail(this.scope, `${where} references {{ ${ref} }}, which is not a parameter of the runbook ` +
            `(parameters: ${[...known].join(', ') || 'none'}). Declare it with RunbookParameter.`);
        }
        return;
      }
      const declared = outputsOf.get(stepName);
      if (!declared) fail(this.scope, `${where} references {{ ${ref} }}, but there is no step '${stepName}' (steps: ${[...outputsOf.keys()].join(', ')}).`);
      if (!declared.includes(output) || rest.length > 0) {
        fail(this.scope, `${where} references {{ ${ref} }}, but step '${stepName}' has no output '${[output, ...rest].join('.')}' ` +
          `(outputs: ${declared.join(', ') || 'none'}).`);
      }
    };
    for (const step of this.steps) {
      for (const ref of references(inputsOf(step))) check(`Step '${step.name}'`, ref);
    }
    for (const out of outputs) check('Runbook output', out.replace(/^\{\{\s*|\s*\}\}$/g, ''));
  }

  /** Indices of steps reachable from the first without passing any step in `barriers`. */
  public reachableAvoiding(barriers: Set<number>): Set<number> {
    const seen = new Set<number>();
    const queue = barriers.has(0) ? [] : [0];
    while (queue.length > 0) {
      const i = queue.shift()!;
      if (seen.has(i)) continue;
      seen.add(i);
      for (const n of this.successors(i)) if (!barriers.has(n) && !seen.has(n)) queue.push(n);
    }
    return seen;
  }

  private unconditionalNext(i: number): number | undefined {
    const step = this.steps[i];
    const explicit = step._jumps().find(([, unconditional]) => unconditional);
    if (explicit) return this.index.get(explicit[0]);
    return step._fallsThrough() && i + 1 < this.steps.length ? i + 1 : undefined;
  }
}

/** Every `{{ ref }}` inside string values of `value`. */
function references(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\{\{\s*([^{}\s]+)\s*\}\}/g)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(references);
  if (value && typeof value === 'object') return Object.values(value).flatMap(references);
  return [];
}

/**
 * Insert an approval step so that no state-changing step can run before it: before the first state-changing step
 * when that guards them all, else first. Jumps to the guarded step go to the approval instead.
 */
export function insertGate(scope: IConstruct, steps: Step[], changing: Set<string>, gate: (name: string) => Step): Step[] {
  let name = 'ApproveChange';
  for (let n = 2; steps.some((s) => s.name === name); n++) name = `ApproveChange${n}`;
  const firstIndex = steps.findIndex((s) => changing.has(s.name));
  const candidates = firstIndex > 0 ? [firstIndex, 0] : [0];
  for (const at of candidates) {
    const target = steps[at].name;
    const retargeted = steps.map((s) => s._retarget(target, name));
    const withGate = [...retargeted.slice(0, at), gate(name), ...retargeted.slice(at)];
    if (unguarded(scope, withGate, changing).length === 0) return withGate;
  }
  return [gate(name), ...steps];
}

/** State-changing steps reachable without passing an approval step. */
export function unguarded(scope: IConstruct, steps: Step[], changing: Set<string>): string[] {
  const graph = new RunbookGraph(scope, steps);
  const approvals = new Set(steps.flatMap((s, i) => (s.action === 'aws:approve' ? [i] : [])));
  const reachable = graph.reachableAvoiding(approvals);
  return steps.filter((s, i) => changing.has(s.name) && reachable.has(i)).map((s) => s.name);
}
