/** `kubewire graph`: the wiring as Mermaid, Graphviz DOT or JSON. */
import type { WiringGraph, WiringNode } from '../resolve/wiring.js';

function title(n: WiringNode): string {
  const where = n.namespace !== null && n.namespace !== 'default' ? `${n.namespace}/` : '';
  const status =
    n.status === 'missing'
      ? 'missing '
      : n.status === 'declared'
        ? 'external '
        : n.status === 'unknown'
          ? 'unknown '
          : '';
  return `${status}${n.kind}\n${where}${n.name}`;
}

/** Edge labels come from messages, where names are in backticks; pictures show them plain. */
function plain(label: string): string {
  return label.replace(/`/g, '');
}

/** Mermaid flowchart (GitHub renders it in Markdown inside a ```mermaid block). */
export function formatMermaid(graph: WiringGraph): string {
  const esc = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) lines.push(`  ${n.id}["${esc(title(n))}"]`);
  const brokenLinks: number[] = [];
  graph.edges.forEach((e, i) => {
    lines.push(`  ${e.from} ${e.broken ? '-.->' : '-->'}|"${esc(plain(e.label))}"| ${e.to}`);
    if (e.broken) brokenLinks.push(i);
  });
  lines.push('  classDef missing fill:#fdecea,stroke:#d32f2f,stroke-dasharray:5 5,color:#b71c1c');
  lines.push('  classDef external fill:#eef3fb,stroke:#5c7cba,stroke-dasharray:2 2');
  lines.push('  classDef unknown fill:#f5f5f5,stroke:#9e9e9e,stroke-dasharray:2 2,color:#616161');
  const missing = graph.nodes.filter((n) => n.status === 'missing').map((n) => n.id);
  const external = graph.nodes.filter((n) => n.status === 'declared').map((n) => n.id);
  const unknown = graph.nodes.filter((n) => n.status === 'unknown').map((n) => n.id);
  if (missing.length > 0) lines.push(`  class ${missing.join(',')} missing`);
  if (external.length > 0) lines.push(`  class ${external.join(',')} external`);
  if (unknown.length > 0) lines.push(`  class ${unknown.join(',')} unknown`);
  if (brokenLinks.length > 0)
    lines.push(`  linkStyle ${brokenLinks.join(',')} stroke:#d32f2f,stroke-width:2px,stroke-dasharray:5 5`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT (`dot -Tsvg`). */
export function formatDot(graph: WiringGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = [
    'digraph kubewire {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of graph.nodes) {
    const style =
      n.status === 'missing'
        ? ', style="rounded,dashed", color="#d32f2f", fontcolor="#b71c1c"'
        : n.status === 'declared'
          ? ', style="rounded,dashed", color="#5c7cba"'
          : n.status === 'unknown'
            ? ', style="rounded,dotted", color="#9e9e9e", fontcolor="#616161"'
            : '';
    lines.push(`  ${q(n.id)} [label=${q(title(n))}${style}];`);
  }
  for (const e of graph.edges) {
    lines.push(
      `  ${q(e.from)} -> ${q(e.to)} [label=${q(plain(e.label))}` +
        `${e.broken ? ', style=dashed, color="#d32f2f", fontcolor="#b71c1c"' : ''}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function formatGraphJson(graph: WiringGraph): string {
  return `${JSON.stringify({ version: 1, ...graph }, null, 2)}\n`;
}
