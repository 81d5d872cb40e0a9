import type { FieldError } from '../../http/problem';
import type { LptrackerTargetProject } from '../../sync/lptracker/lptracker-lead-write.service';
import type { ImportMapping } from './import-mapping';

/**
 * Problems of an LPTracker target against the workspace's enabled projects, as 400 errors naming the field: the
 * project (`projectId`: unknown or disabled; required when several are enabled) and the custom fields of the columns
 * (`columns.<column>`: `lead.custom.<id>` / `contact.field.<id>` the chosen project does not have). Nothing enabled
 * and no `projectId`: no problem here (each row then says LPTracker is not connected).
 */
export function lptrackerTargetProblems(
  mapping: ImportMapping,
  projects: readonly LptrackerTargetProject[],
): FieldError[] {
  if (mapping.target !== 'lptracker') return [];
  const projectId = mapping.projectId ?? null;
  const enabled = projects.map((project) => project.id).join(', ') || 'none';
  let chosen: LptrackerTargetProject | undefined;
  if (projectId !== null) {
    chosen = projects.find((project) => project.id === projectId);
    if (!chosen)
      return [
        {
          field: 'projectId',
          code: 'unknownProject',
          message: `projectId: ${projectId} is not an enabled LPTracker project (enabled: ${enabled})`,
        },
      ];
  } else if (projects.length > 1)
    return [
      {
        field: 'projectId',
        code: 'required',
        message: `projectId is required: several LPTracker projects are enabled (${enabled})`,
      },
    ];
  else chosen = projects[0];
  if (!chosen) return [];
  const fields = new Set(chosen.fields.map((field) => field.field));
  return mapping.columns.flatMap(({ column, field }) =>
    (field.startsWith('lead.custom.') || field.startsWith('contact.field.')) && !fields.has(field)
      ? [
          {
            field: `columns.${column}`,
            code: 'unknownField',
            message: `columns.${column}: LPTracker project ${chosen.id} has no field ${field}`,
          },
        ]
      : [],
  );
}
