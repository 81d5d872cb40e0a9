import type { RuleCondition, RuleConditionNode } from './rules.models';

export type GroupKind = 'all' | 'any' | 'not';

/** A condition group as the editor holds it: `not` is a group with (normally) one child. */
export interface EditorGroup {
  kind: GroupKind;
  children: EditorNode[];
}

export type EditorNode = EditorGroup | RuleCondition;

export function isGroup(node: EditorNode): node is EditorGroup {
  return 'kind' in node && 'children' in node;
}

/** The API's condition node as an editor group (a single condition at the top becomes `all` of one). */
export function toEditor(node: RuleConditionNode | null | undefined): EditorGroup {
  const converted = node ? toEditorNode(node) : null;
  if (!converted) {
    return { kind: 'all', children: [] };
  }
  return isGroup(converted) ? converted : { kind: 'all', children: [converted] };
}

function toEditorNode(node: RuleConditionNode): EditorNode {
  if ('all' in node) {
    return { kind: 'all', children: node.all.map(toEditorNode) };
  }
  if ('any' in node) {
    return { kind: 'any', children: node.any.map(toEditorNode) };
  }
  if ('not' in node) {
    return { kind: 'not', children: [toEditorNode(node.not)] };
  }
  const condition: RuleCondition = { field: node.field, op: node.op };
  if (node.value !== undefined) {
    condition.value = Array.isArray(node.value) ? [...node.value] : node.value;
  }
  return condition;
}

/** The editor's group as the API's node: `not` of one child is `{not: child}`, of several `{not: {all: …}}`. */
export function fromEditor(node: EditorNode): RuleConditionNode {
  if (!isGroup(node)) {
    const condition: RuleCondition = { field: node.field, op: node.op };
    if (node.value !== undefined) {
      condition.value = node.value;
    }
    return condition;
  }
  const children = node.children.map(fromEditor);
  if (node.kind === 'not') {
    const [only] = children;
    return { not: children.length === 1 && only ? only : { all: children } };
  }
  return node.kind === 'all' ? { all: children } : { any: children };
}

/** The API path of a group's child `index` (as the backend names it in a 400: `conditions.any[1].all[0]`). */
export function childPath(group: EditorGroup, path: string, index: number): string {
  if (group.kind === 'not') {
    return group.children.length === 1 ? `${path}.not` : `${path}.not.all[${index}]`;
  }
  return `${path}.${group.kind}[${index}]`;
}
