/**
 * Render a CloudFormation value as a readable string (internal), so the simulator can compare references and
 * print actions: `{Ref: X}` → `${X}`, `{Fn::GetAtt: [X, Arn]}` → `${X.Arn}`, `Fn::Join`/`Fn::Sub` expanded.
 */
export function renderIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(renderIntrinsic).join(',');
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = obj[key];
      switch (key) {
        case 'Ref': return `\${${renderIntrinsic(arg)}}`;
        case 'Fn::GetAtt': {
          const parts = Array.isArray(arg) ? arg.map(renderIntrinsic) : String(arg).split('.');
          return `\${${parts.join('.')}}`;
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown];
          return Array.isArray(parts) ? parts.map(renderIntrinsic).join(sep) : `\${Join(${renderIntrinsic(parts)})}`;
        }
        case 'Fn::Sub': {
          const [template, vars] = Array.isArray(arg) ? arg as [string, Record<string, unknown>] : [arg as string, {}];
          // `${!x}` is an escaped literal `${x}`.
          return template.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => (name in vars ? renderIntrinsic(vars[name]) : whole))
            .replace(/\$\{!/g, '${');
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return Array.isArray(list) ? renderIntrinsic(list[Number(index)]) : `\${Select(${index},${renderIntrinsic(list)})}`;
        }
        case 'Fn::ImportValue': return `\${Import(${renderIntrinsic(arg)})}`;
        default: break;
      }
    }
  }
  return JSON.stringify(value);
}
