/** Markdown sections of runbooks and playbooks (internal): one renderer, so the console and the ORR agree. */

/** A titled bullet list, or nothing when there are no items. */
export function section(title: string, items: string[] | undefined, numbered = false): string {
  if (!items || items.length === 0) return '';
  return `\n## ${title}\n\n${items.map((item, i) => `${numbered ? `${i + 1}.` : '-'} ${item}`).join('\n')}\n`;
}

/** A titled paragraph, or nothing. */
export function paragraph(title: string, text: string | undefined): string {
  return text ? `\n## ${title}\n\n${text}\n` : '';
}

/** `# Title` and the lead paragraph. */
export function heading(title: string, lead: string): string {
  return `# ${title}\n\n${lead}\n`;
}
