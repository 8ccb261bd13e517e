import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { kebab } from '../core/naming';

/** SSM document names: 3-128 letters, digits, '_', '-' or '.'. */
const DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;
const RESERVED_PREFIXES = ['aws', 'amazon', 'amzn'];

/** What is wrong with a literal document name, or undefined (`imported`: an existing document, which AWS may own). */
function documentNameProblem(name: unknown, imported: boolean): string | undefined {
  if (typeof name !== 'string') return `Document name must be a string, got ${name === null ? 'null' : typeof name}: give a name such as 'freight-rollback'.`;
  if (!DOCUMENT_NAME.test(name)) return `Document name '${name}' is invalid: use 3-128 letters, digits, '_', '-' or '.'.`;
  const reserved = imported ? undefined : RESERVED_PREFIXES.find((p) => name.toLowerCase().startsWith(p));
  if (reserved) {
    return `Document name '${name}' starts with '${name.slice(0, reserved.length)}', a prefix Systems Manager reserves for AWS documents: ` +
      'choose another name (e.g. prefix it with your workload).';
  }
  return undefined;
}

/**
 * SSM's document name rules (for a document this app creates, also the prefixes AWS reserves; `imported`: a document
 * defined elsewhere, e.g. AWS-owned). A literal name is checked at once; a name given as a token is checked at synth,
 * once it resolves to a literal (`node.addValidation` on `scope`).
 */
export function validateDocumentName(scope: IConstruct, name: string, imported = false): void {
  if (typeof name === 'string' && Token.isUnresolved(name)) {
    scope.node.addValidation({
      validate: () => {
        const resolved = Stack.of(scope).resolve(name);
        const problem = typeof resolved === 'string' ? documentNameProblem(resolved, imported) : undefined;
        return problem ? [problem] : [];
      },
    });
    return;
  }
  const problem = documentNameProblem(name, imported);
  if (problem) fail(scope, problem);
}

/** A runbook's default document name: `<workload>-<service>-<id in kebab case>`, at most 128 characters. */
export function defaultDocumentName(workload: string, service: string | undefined, id: string): string {
  return [workload, service, kebab(id)].filter((p) => p).join('-').slice(0, 128);
}
